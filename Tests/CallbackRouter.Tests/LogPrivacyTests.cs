using EmergencySolution.CallbackRouter.Tests.Fakes;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>
/// Phone numbers are personal data: a responder's line, the leased callback number. Every log line the router writes,
/// at every level and from every category (HttpClient's and ASP.NET Core's included), is searched for their digits,
/// and for the webhook secret: in its delivery header, unlike in a URL, no request log keeps it.
/// </summary>
[TestClass]
public sealed class LogPrivacyTests
{
    private const string LeasedNumber = "+13125550147";
    private const string ResponderNumber = "+13125550911";
    private const string UnleasedNumber = "+13125550148";
    private const string FallbackNumber = "+13125550100";

    [TestMethod]
    public async Task EveryPath_LogsNoPhoneNumber()
    {
        await using var router = await RouterHarness.StartAsync(s =>
        {
            RouterSettings.WithWebhookSecret(s);
            s["CallbackRouter:Routing:FallbackTarget"] = "4:" + FallbackNumber;
            s["CallbackRouter:Routing:PoolNumbers:0"] = LeasedNumber;
            s["CallbackRouter:Routing:PoolNumbers:1"] = UnleasedNumber;
            s["Logging:LogLevel:Default"] = "Trace";
            s["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
            s["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace";
        });
        var agentId = Guid.NewGuid();
        router.Dataverse.Lease(LeasedNumber, agentId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(10));
        router.Dataverse.User(agentId, Guid.NewGuid());

        var secret = RouterSettings.SecretHeader();
        await router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber, ResponderNumber), secret);               // to the agent
        await router.PostForOutcomeAsync(Events.IncomingCall(UnleasedNumber, ResponderNumber), secret);             // ignored
        await router.PostForOutcomeAsync(Events.IncomingCall("+13125550999", ResponderNumber), secret);             // not a pool number
        await router.PostAsync(Events.IncomingCall(LeasedNumber, ResponderNumber));                                 // 401: no secret
        await router.PostAsync(Events.IncomingCall(LeasedNumber, ResponderNumber), headers: RouterSettings.SecretHeader("wrong-secret-wrong-secret-wrong-secret")); // 401
        await router.PostAsync(Events.IncomingCall(LeasedNumber, ResponderNumber), "?anything=1", secret);         // 400: query string
        router.Dataverse.Behaviour = DataverseBehaviour.Unavailable;
        await router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber, ResponderNumber), secret);               // fallback, with retries
        router.Acs.AnswerForTarget("4:" + FallbackNumber, 500);
        await router.PostAsync(Events.IncomingCall(LeasedNumber, ResponderNumber), headers: secret);                // stranded: logged as an error
        var malformed = Events.IncomingCall(LeasedNumber, ResponderNumber).Replace("incomingCallContext", "somethingElse", StringComparison.Ordinal);
        await router.PostAsync(malformed, headers: secret);                                                         // 400

        var lines = router.Logs.ToArray();
        Assert.IsTrue(lines.Any(l => l.Contains("System.Net.Http.HttpClient.dataverse", StringComparison.Ordinal)), "HttpClient's own request logs are included");
        Assert.IsTrue(lines.Any(l => l.Contains("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal)), "ASP.NET Core's request logs are included");
        Assert.IsTrue(lines.Any(l => l.Contains("RedirectedToAgent", StringComparison.Ordinal)));
        Assert.IsTrue(lines.Any(l => l.Contains("DataverseUnavailable", StringComparison.Ordinal)));
        Assert.IsTrue(lines.Any(l => l.Contains("Refused a delivery", StringComparison.Ordinal)), "the refusals are included");
        Assert.IsTrue(lines.Any(l => l.Contains("neither the agent nor the fallback", StringComparison.Ordinal)), "the stranded call is included");
        foreach (var number in new[] { LeasedNumber, ResponderNumber, UnleasedNumber, FallbackNumber, "+13125550999" })
        {
            var leak = lines.FirstOrDefault(l => l.Contains(number[2..], StringComparison.Ordinal));
            Assert.IsNull(leak, "a log line holds a phone number: " + leak);
        }

        var secretLeak = lines.FirstOrDefault(l => l.Contains(RouterSettings.WebhookSecret, StringComparison.Ordinal) || l.Contains("wrong-secret-wrong", StringComparison.Ordinal));
        Assert.IsNull(secretLeak, "a log line holds a presented secret: " + secretLeak);
    }
}
