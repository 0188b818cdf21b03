using System.Diagnostics;
using System.Net;
using EmergencySolution.CallbackRouter.Tests.Fakes;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>Dataverse failing or slow, retries, tokens, and duplicate deliveries: the call still goes somewhere, once.</summary>
[TestClass]
public sealed class ReliabilityTests
{
    private const string LeasedNumber = "+442079460123";
    private static readonly Guid AgentId = new("a9e1c0de-0000-4000-8000-000000000002");
    private static readonly Guid AgentObjectId = new("0b7ec7a1-0000-4000-8000-0000000000a2");

    private RouterHarness _router = null!;

    [TestCleanup]
    public async Task StopAsync()
    {
        if (_router is not null)
        {
            await _router.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task DataverseDown_FallsBackAfterExactlyOnePlusMaxRetriesAttempts()
    {
        await StartAsync();
        _router.Dataverse.Behaviour = DataverseBehaviour.Unavailable;

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToFallback", "DataverseUnavailable");
        Assert.AreEqual(3, _router.Dataverse.ResolveRequests.Count(), "1 attempt + 2 retries, then the fallback");
        CollectionAssert.AreEqual(new[] { RouterHarness.FallbackRawId }, _router.Acs.AcceptedTargets);
    }

    [TestMethod]
    public async Task DataverseHangs_FallsBackWhenTheLookupDeadlinePasses()
    {
        await StartAsync(s => s["CallbackRouter:Routing:LookupDeadline"] = "00:00:00.300");
        _router.Dataverse.Behaviour = DataverseBehaviour.Hang;
        var watch = Stopwatch.StartNew();

        // The fake never answers: only the router's own deadline can end this request.
        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber)).WaitAsync(TimeSpan.FromSeconds(20));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToFallback", "LookupDeadlinePassed");
        CollectionAssert.AreEqual(new[] { RouterHarness.FallbackRawId }, _router.Acs.AcceptedTargets);
        Assert.AreEqual(1, _router.Dataverse.ResolveRequests.Count(), "a hung attempt is not retried past the deadline");
        Assert.IsTrue(watch.Elapsed >= TimeSpan.FromMilliseconds(300), "the router waited for the deadline before falling back");
    }

    [TestMethod]
    [DataRow(503)]
    [DataRow(429)]
    [DataRow(502)]
    public async Task DataverseTransientOnce_RetriedAndRoutedToTheAgent(int status)
    {
        await StartAsync();
        _router.Dataverse.TransientFailures = (status, 1);

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToAgent", "None");
        Assert.AreEqual(2, _router.Dataverse.ResolveRequests.Count());
    }

    [TestMethod]
    public async Task DataverseBadRequest_NotRetried_FallsBack()
    {
        await StartAsync();
        _router.Dataverse.TransientFailures = (400, 5);

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToFallback", "DataverseUnavailable");
        Assert.AreEqual(1, _router.Dataverse.ResolveRequests.Count(), "400 cannot change by retrying");
    }

    [TestMethod]
    public async Task DataverseAnswersMatchedWithoutAnAgent_FallsBack()
    {
        await StartAsync();
        _router.Dataverse.ResolveHandler = _ => new System.Text.Json.Nodes.JsonObject { ["Matched"] = true, ["BypassRouting"] = true };

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToFallback", "DataverseUnavailable");
        CollectionAssert.AreEqual(new[] { RouterHarness.FallbackRawId }, _router.Acs.AcceptedTargets);
    }

    [TestMethod]
    public async Task RevokedToken_RenewedOnce_AndTheLookupSucceeds()
    {
        await StartAsync();
        await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));
        _router.Dataverse.RevokeTokens();

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToAgent", "None");
        Assert.AreEqual(2, _router.Dataverse.TokenRequests.Count(), "the cached token, then one forced renewal");
    }

    [TestMethod]
    public async Task SameCorrelationIdDeliveredTwice_RedirectedOnce()
    {
        await StartAsync();
        var delivery = Events.IncomingCall(LeasedNumber, correlationId: "corr-twice");

        var first = await _router.PostForOutcomeAsync(delivery);
        var second = await _router.PostForOutcomeAsync(delivery);

        IncomingCallRoutingTests.AssertOutcome(first, "RedirectedToAgent", "None");
        IncomingCallRoutingTests.AssertOutcome(second, "Duplicate", "AlreadyHandled");
        Assert.AreEqual(1, _router.Acs.Redirects.Count());
        Assert.AreEqual(1, _router.Dataverse.ResolveRequests.Count());
    }

    [TestMethod]
    public async Task SameCorrelationIdDeliveredFiveTimesAtOnce_RedirectedOnce()
    {
        await StartAsync();
        var delivery = Events.IncomingCall(LeasedNumber, correlationId: "corr-burst");

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _router.PostAsync(delivery)));

        Assert.IsTrue(answers.All(a => a.StatusCode == System.Net.HttpStatusCode.OK));
        var names = _router.Routed.Where(c => c.CorrelationId == "corr-burst").Select(c => c.Outcome).ToList();
        Assert.AreEqual(1, names.Count(n => n == "RedirectedToAgent"), string.Join(",", names));
        Assert.AreEqual(4, names.Count(n => n == "Duplicate"), string.Join(",", names));
        Assert.AreEqual(1, _router.Acs.Redirects.Count());
    }

    [TestMethod]
    public async Task PoolNumbersConfigured_OtherNumbersIgnoredWithoutARequest_AndPoolNumbersFallBackWhenDataverseIsDown()
    {
        await StartAsync(s => s["CallbackRouter:Routing:PoolNumbers:0"] = "+44 20 7946 0123");
        _router.Dataverse.Behaviour = DataverseBehaviour.Unavailable;

        var other = await _router.PostForOutcomeAsync(Events.IncomingCall("+442079460999"));
        var pool = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        IncomingCallRoutingTests.AssertOutcome(other, "Ignored", "NotAPoolNumber");
        IncomingCallRoutingTests.AssertOutcome(pool, "RedirectedToFallback", "DataverseUnavailable");
        Assert.AreEqual(3, _router.Dataverse.ResolveRequests.Count(), "only the pool number was looked up");
        Assert.AreEqual(1, _router.Acs.Redirects.Count());
    }

    [TestMethod]
    public async Task ConfiguredAgentTargets_RedirectToTheConfiguredIdentity_NotTheTeamsUser()
    {
        await StartAsync(s =>
        {
            s["CallbackRouter:Routing:AgentTarget"] = "Configured";
            s["CallbackRouter:Routing:AgentTargets:" + AgentId] = "8:acs:11111111-1111-1111-1111-111111111111_agent-desk";
        });

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToAgent", "None");
        CollectionAssert.AreEqual(new[] { "8:acs:11111111-1111-1111-1111-111111111111_agent-desk" }, _router.Acs.AcceptedTargets);
        Assert.AreEqual(1, _router.Dataverse.ResolveRequests.Count());
    }

    [TestMethod]
    public async Task PhoneNumberFallback_IsSentAsAPhoneNumberIdentifier()
    {
        await StartAsync(s => s["CallbackRouter:Routing:FallbackTarget"] = "+14255550100");
        _router.Dataverse.Behaviour = DataverseBehaviour.Unavailable;

        await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        var target = System.Text.Json.Nodes.JsonNode.Parse(_router.Acs.Redirects.Single().BodyText)!["target"]!;
        Assert.AreEqual("phoneNumber", target["kind"]!.GetValue<string>());
        Assert.AreEqual("4:+14255550100", target["rawId"]!.GetValue<string>());
        Assert.AreEqual("+14255550100", target["phoneNumber"]!["value"]!.GetValue<string>());
    }

    private async Task StartAsync(Action<Dictionary<string, string?>>? settings = null)
    {
        _router = await RouterHarness.StartAsync(settings);
        _router.Dataverse.Lease(LeasedNumber, AgentId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(30));
        _router.Dataverse.User(AgentId, AgentObjectId);
    }
}
