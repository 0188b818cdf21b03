using System.Net;
using System.Text.Json.Nodes;
using EmergencySolution.CallbackRouter.Tests.Fakes;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>The webhook end to end: Event Grid delivery in, Dataverse and ACS fakes on loopback recording what they get.</summary>
[TestClass]
public sealed class IncomingCallRoutingTests
{
    private const string LeasedNumber = "+14255550123";
    private const string UnleasedNumber = "+14255550124";
    private static readonly Guid AgentId = new("a9e1c0de-0000-4000-8000-000000000001");
    private static readonly Guid AgentObjectId = new("0b7ec7a1-0000-4000-8000-0000000000a1");
    private static readonly Guid EmergencyCallId = new("ca11ca11-0000-4000-8000-000000000001");

    private RouterHarness _router = null!;

    [TestInitialize]
    public async Task StartAsync()
    {
        _router = await RouterHarness.StartAsync();
        _router.Dataverse.Lease(LeasedNumber, AgentId, EmergencyCallId, DateTimeOffset.UtcNow.AddMinutes(45));
        _router.Dataverse.User(AgentId, AgentObjectId);
    }

    [TestCleanup]
    public async Task StopAsync() => await _router.DisposeAsync();

    [TestMethod]
    public async Task ValidationHandshake_AnswersTheCode_AndCallsNothing()
    {
        using var response = await _router.PostAsync(Events.SubscriptionValidation("512d38b6-c7b8-40c8-89fe-f46f9e9622b6"));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.AreEqual("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", body["validationResponse"]!.GetValue<string>());
        Assert.AreEqual(0, _router.Dataverse.Server.Requests.Count);
        Assert.AreEqual(0, _router.Acs.Server.Requests.Count);
    }

    [TestMethod]
    public async Task LeasedNumber_RedirectedToTheAgentsTeamsIdentity_WithTheIncomingCallContext()
    {
        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber, correlationId: "corr-leased", incomingCallContext: "ctx-leased"));

        AssertOutcome(outcome, "RedirectedToAgent", "None");
        var resolve = _router.Dataverse.ResolveRequests.Single();
        Assert.AreEqual("POST", resolve.Method);
        Assert.AreEqual(LeasedNumber, JsonNode.Parse(resolve.BodyText)!["CalledNumber"]!.GetValue<string>());
        Assert.AreEqual("+14255550199", JsonNode.Parse(resolve.BodyText)!["CallerNumber"]!.GetValue<string>());
        StringAssert.StartsWith(resolve.Header("Authorization"), "Bearer token-");
        Assert.AreEqual("4.0", resolve.Header("OData-Version"));

        var token = _router.Dataverse.TokenRequests.Single();
        StringAssert.Contains(token.BodyText, "grant_type=client_credentials");
        StringAssert.Contains(token.BodyText, "scope=" + Uri.EscapeDataString(_router.Dataverse.Server.BaseAddress.ToString().TrimEnd('/') + "/.default"));
        StringAssert.Contains(token.Path, "/contoso.onmicrosoft.com/oauth2/v2.0/token");

        var redirect = _router.Acs.Redirects.Single();
        Assert.AreEqual("/calling/callConnections:redirect", redirect.Path);
        Assert.AreEqual("?api-version=2025-05-15", redirect.Query);
        var body = JsonNode.Parse(redirect.BodyText)!;
        Assert.AreEqual("ctx-leased", body["incomingCallContext"]!.GetValue<string>());
        Assert.AreEqual("microsoftTeamsUser", body["target"]!["kind"]!.GetValue<string>());
        Assert.AreEqual("8:orgid:" + AgentObjectId, body["target"]!["rawId"]!.GetValue<string>());
        Assert.AreEqual(AgentObjectId.ToString(), body["target"]!["microsoftTeamsUser"]!["userId"]!.GetValue<string>());
        Assert.AreEqual(0, _router.Acs.SignatureFailures, "the fake ACS verifies every HMAC signature");
        Assert.IsTrue(Guid.TryParse(redirect.Header("Repeatability-Request-ID"), out _));
        Assert.IsFalse(string.IsNullOrEmpty(redirect.Header("Repeatability-First-Sent")));
    }

    [TestMethod]
    public async Task LeasedNumber_RoundTrips_FirstCallThree_ThenTwoOnceTheTokenIsCached()
    {
        await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));
        Assert.AreEqual(1, _router.Dataverse.TokenRequests.Count(), "token");
        Assert.AreEqual(1, _router.Dataverse.ResolveRequests.Count(), "resolve, which answers the agent's identity too");
        Assert.AreEqual(2, _router.Dataverse.Server.Requests.Count, "no other Dataverse or Entra ID request");
        Assert.AreEqual(1, _router.Acs.Redirects.Count(), "redirect");

        _router.Dataverse.Server.ClearRequests();
        _router.Acs.Server.ClearRequests();
        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        AssertOutcome(outcome, "RedirectedToAgent", "None");
        Assert.AreEqual(1, _router.Dataverse.Server.Requests.Count, "a warm router asks Dataverse once: the lease");
        Assert.AreEqual(1, _router.Acs.Server.Requests.Count, "and ACS once: the redirect");
    }

    [TestMethod]
    public async Task UnleasedNumber_Ignored_SoNormalRoutingTakesIt()
    {
        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(UnleasedNumber));

        AssertOutcome(outcome, "Ignored", "NoLiveLease");
        Assert.AreEqual(1, _router.Dataverse.ResolveRequests.Count());
        Assert.AreEqual(2, _router.Dataverse.Server.Requests.Count, "the token and the lookup, nothing else");
        Assert.AreEqual(0, _router.Acs.Server.Requests.Count);
    }

    [TestMethod]
    public async Task ExpiredLease_Ignored()
    {
        _router.Dataverse.Lease(UnleasedNumber, AgentId, EmergencyCallId, DateTimeOffset.UtcNow.AddMinutes(-1));

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(UnleasedNumber));

        AssertOutcome(outcome, "Ignored", "NoLiveLease");
        Assert.AreEqual(0, _router.Acs.Server.Requests.Count);
    }

    [TestMethod]
    public async Task CallToAnAcsUser_Ignored_WithoutAskingDataverse()
    {
        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall("8:acs:someone-else", toKind: "communicationUser"));

        AssertOutcome(outcome, "Ignored", "NotAPhoneNumber");
        Assert.AreEqual(0, _router.Dataverse.Server.Requests.Count);
        Assert.AreEqual(0, _router.Acs.Server.Requests.Count);
    }

    [TestMethod]
    public async Task AgentWithoutEntraIdentity_GoesToTheFallback()
    {
        _router.Dataverse.User(AgentId, null);

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        AssertOutcome(outcome, "RedirectedToFallback", "AgentHasNoIdentity");
        CollectionAssert.AreEqual(new[] { RouterHarness.FallbackRawId }, _router.Acs.AcceptedTargets);
    }

    [TestMethod]
    public async Task AgentRedirectRejected_GoesToTheFallback()
    {
        _router.Acs.AnswerForTarget("8:orgid:" + AgentObjectId, 400);

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        AssertOutcome(outcome, "RedirectedToFallback", "AgentRedirectFailed");
        Assert.AreEqual(2, _router.Acs.Redirects.Count(), "400 is not retried: one try for the agent, one for the fallback");
        CollectionAssert.AreEqual(new[] { RouterHarness.FallbackRawId }, _router.Acs.AcceptedTargets);
    }

    [TestMethod]
    public async Task AcsTransientFailure_RetriedWithTheSameRepeatabilityId()
    {
        var agentTarget = "8:orgid:" + AgentObjectId;
        _router.Acs.AnswerForTarget(agentTarget, 503);

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        AssertOutcome(outcome, "RedirectedToFallback", "AgentRedirectFailed");
        var agentAttempts = _router.Acs.Redirects.Where(r => r.BodyText.Contains(agentTarget, StringComparison.Ordinal)).ToList();
        Assert.AreEqual(3, agentAttempts.Count, "1 attempt + MaxRetries (2)");
        Assert.AreEqual(1, agentAttempts.Select(r => r.Header("Repeatability-Request-ID")).Distinct().Count());
        Assert.AreEqual(1, agentAttempts.Select(r => r.Header("Repeatability-First-Sent")).Distinct().Count());
    }

    [TestMethod]
    public async Task NeitherAgentNorFallbackReachable_LoggedAsAnError_AndARedeliveryTriesAgain()
    {
        _router.Acs.AnswerForTarget("8:orgid:" + AgentObjectId, 403);
        _router.Acs.AnswerForTarget(RouterHarness.FallbackRawId, 403);
        var delivery = Events.IncomingCall(LeasedNumber, correlationId: "corr-stranded");

        var first = await _router.PostForOutcomeAsync(delivery);

        // The answer was given on acceptance (200, like every accepted delivery); the failure is the log's to tell.
        AssertOutcome(first, "Failed", "FallbackRedirectFailed");
        Assert.IsTrue(_router.Logs.Any(l => l.StartsWith("Error ", StringComparison.Ordinal) && l.Contains("corr-stranded: neither the agent nor the fallback target could be reached", StringComparison.Ordinal)));

        _router.Acs.AnswerForTarget("8:orgid:" + AgentObjectId, 204);
        var second = await _router.PostForOutcomeAsync(delivery);

        AssertOutcome(second, "RedirectedToAgent", "None");
    }

    [TestMethod]
    public async Task CloudEventsSchema_IsRoutedLikeEventGridSchema()
    {
        var outcome = await _router.PostForOutcomeAsync(Events.CloudEventIncomingCall(LeasedNumber, "corr-cloud"));

        AssertOutcome(outcome, "RedirectedToAgent", "None");
        Assert.AreEqual("ctx-cloud-event", JsonNode.Parse(_router.Acs.Redirects.Single().BodyText)!["incomingCallContext"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task CloudEventsHandshake_EchoesTheOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/incoming-call");
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");

        using var response = await _router.Client.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("eventgrid.azure.net", response.Headers.GetValues("WebHook-Allowed-Origin").Single());
    }

    [TestMethod]
    public async Task BatchOfTwoCalls_BothRouted()
    {
        var batch = new JsonArray(
            Events.IncomingCallEvent(LeasedNumber, "+14255550199", "corr-batch-1", "ctx-1"),
            Events.IncomingCallEvent(UnleasedNumber, "+14255550199", "corr-batch-2", "ctx-2")).ToJsonString();

        var outcome = await _router.PostForOutcomeAsync(batch);

        var calls = outcome["calls"]!.AsArray().Select(c => c!["correlationId"]!.GetValue<string>() + ":" + c["outcome"]!.GetValue<string>()).ToList();
        CollectionAssert.AreEquivalent(new[] { "corr-batch-1:RedirectedToAgent", "corr-batch-2:Ignored" }, calls);
    }

    [TestMethod]
    public async Task Healthz_AnswersHealthy()
    {
        using var response = await _router.Client.GetAsync("/healthz");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("Healthy", await response.Content.ReadAsStringAsync());
    }

    internal static void AssertOutcome(JsonObject body, string outcome, string reason)
    {
        var call = body["calls"]!.AsArray().Single()!;
        Assert.AreEqual(outcome, call["outcome"]!.GetValue<string>(), body.ToJsonString());
        Assert.AreEqual(reason, call["reason"]!.GetValue<string>(), body.ToJsonString());
    }
}
