using System.Net;
using EmergencySolution.CallbackRouter.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>
/// The webhook's answer tells no caller, authenticated or not, which pool numbers have a live lease: for a leased
/// number, an unleased one, a number outside the pool, with Dataverse down or ACS refusing, the status, the body and
/// the headers are the same, and the answer is given before the lease is looked up (so its timing cannot tell either).
/// </summary>
[TestClass]
public sealed class LeaseStateConcealmentTests
{
    private const string LeasedNumber = "+13035550150";
    private const string UnleasedNumber = "+13035550151";
    private const string OutsideThePool = "+13035550999";

    private RouterHarness _router = null!;

    [TestCleanup]
    public async Task StopAsync() => await _router.DisposeAsync();

    [TestMethod]
    public async Task AuthenticatedCaller_GetsTheSameAnswer_WhateverTheLease()
    {
        await StartAsync();
        var answers = new List<string>
        {
            await AnswerAsync(LeasedNumber, RouterSettings.SecretHeader()),
            await AnswerAsync(UnleasedNumber, RouterSettings.SecretHeader()),
            await AnswerAsync(OutsideThePool, RouterSettings.SecretHeader()),
        };
        _router.Acs.AnswerForTarget(RouterHarness.FallbackRawId, 500);
        _router.Acs.AnswerForTarget("8:orgid:" + AgentObjectId, 500);
        answers.Add(await AnswerAsync(LeasedNumber, RouterSettings.SecretHeader()));
        _router.Dataverse.Behaviour = DataverseBehaviour.Unavailable;
        answers.Add(await AnswerAsync(LeasedNumber, RouterSettings.SecretHeader()));

        CollectionAssert.AreEquivalent(new[] { "RedirectedToAgent", "Ignored", "Ignored", "Failed", "Failed" }, _router.Routed.Select(c => c.Outcome).ToArray(),
            "the five calls did take different paths");
        Assert.AreEqual(1, answers.Distinct().Count(), string.Join("\n---\n", answers));
        StringAssert.StartsWith(answers[0], "200 ");
    }

    [TestMethod]
    public async Task UnauthenticatedCaller_GetsTheSameRefusal_WhateverTheLease()
    {
        await StartAsync();

        var leased = await AnswerAsync(LeasedNumber, RouterSettings.SecretHeader("not-the-secret-but-as-long-as-the-real-one"));
        var unleased = await AnswerAsync(UnleasedNumber, RouterSettings.SecretHeader("not-the-secret-but-as-long-as-the-real-one"));
        var noSecret = await AnswerAsync(LeasedNumber, null);

        Assert.AreEqual(leased, unleased);
        StringAssert.StartsWith(leased, "401 ");
        StringAssert.StartsWith(noSecret, "401 ");
        Assert.AreEqual(0, _router.Dataverse.Server.Requests.Count);
    }

    [TestMethod]
    public async Task TheAnswerComesBeforeTheLookup()
    {
        await StartAsync(s => s["CallbackRouter:Routing:LookupDeadline"] = "00:00:10");
        _router.Dataverse.Behaviour = DataverseBehaviour.Hang;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incoming-call") { Content = new StringContent(Events.IncomingCall(LeasedNumber), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Callback-Router-Secret", RouterSettings.WebhookSecret);

        // Dataverse never answers, so the call can only be decided when the 10 s deadline passes.
        using var response = await _router.Client.SendAsync(request);
        var routedWhenAnswered = _router.Routed.Count;
        await _router.Services.GetRequiredService<EmergencySolution.CallbackRouter.Webhook.AcceptedCalls>().WhenIdleAsync();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(0, routedWhenAnswered, "the answer waited for the lookup");
        Assert.AreEqual("LookupDeadlinePassed", _router.Routed.Single().Reason, "the call was still routed after the answer");
    }

    private static readonly Guid AgentObjectId = new("0b7ec7a1-0000-4000-8000-0000000000c5");

    private async Task StartAsync(Action<Dictionary<string, string?>>? more = null)
    {
        _router = await RouterHarness.StartAsync(s =>
        {
            RouterSettings.WithWebhookSecret(s);
            s["CallbackRouter:Routing:PoolNumbers:0"] = LeasedNumber;
            s["CallbackRouter:Routing:PoolNumbers:1"] = UnleasedNumber;
            more?.Invoke(s);
        });
        var agentId = Guid.NewGuid();
        _router.Dataverse.Lease(LeasedNumber, agentId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(30));
        _router.Dataverse.User(agentId, AgentObjectId);
    }

    /// <summary>Status, headers (but the date) and body of the answer to one IncomingCall, as one comparable text.</summary>
    private async Task<string> AnswerAsync(string calledNumber, IReadOnlyDictionary<string, string>? headers)
    {
        using var response = await _router.PostAsync(Events.IncomingCall(calledNumber, correlationId: "same-shape-" + Guid.NewGuid().ToString("N")[..8]), headers: headers);
        var headerText = string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => h.Key + ": " + string.Join(",", h.Value)));
        return (int)response.StatusCode + " " + response.StatusCode + "\n" + headerText + "\n" + await response.Content.ReadAsStringAsync();
    }
}
