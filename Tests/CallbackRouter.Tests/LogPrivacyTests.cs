using EmergencySolution.CallbackRouter.Tests.Fakes;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>
/// Phone numbers are personal data: a responder's line, the leased callback number. Every log line the router writes,
/// at every level and from every category (HttpClient's included), is searched for their digits.
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

        await router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber, ResponderNumber));               // to the agent
        await router.PostForOutcomeAsync(Events.IncomingCall(UnleasedNumber, ResponderNumber));             // ignored
        await router.PostForOutcomeAsync(Events.IncomingCall("+13125550999", ResponderNumber));             // not a pool number
        router.Dataverse.Behaviour = DataverseBehaviour.Unavailable;
        await router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber, ResponderNumber));               // fallback, with retries
        router.Acs.AnswerForTarget("4:" + FallbackNumber, 500);
        await router.PostAsync(Events.IncomingCall(LeasedNumber, ResponderNumber));                         // stranded: 503
        var malformed = Events.IncomingCall(LeasedNumber, ResponderNumber).Replace("incomingCallContext", "somethingElse", StringComparison.Ordinal);
        await router.PostAsync(malformed);                                                                  // 400

        var lines = router.Logs.ToArray();
        Assert.IsTrue(lines.Any(l => l.Contains("System.Net.Http.HttpClient.dataverse", StringComparison.Ordinal)), "HttpClient's own request logs are included");
        Assert.IsTrue(lines.Any(l => l.Contains("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal)), "ASP.NET Core's request logs are included");
        Assert.IsTrue(lines.Any(l => l.Contains("RedirectedToAgent", StringComparison.Ordinal)));
        Assert.IsTrue(lines.Any(l => l.Contains("DataverseUnavailable", StringComparison.Ordinal)));
        foreach (var number in new[] { LeasedNumber, ResponderNumber, UnleasedNumber, FallbackNumber, "+13125550999" })
        {
            var leak = lines.FirstOrDefault(l => l.Contains(number[2..], StringComparison.Ordinal));
            Assert.IsNull(leak, "a log line holds a phone number: " + leak);
        }
    }
}
