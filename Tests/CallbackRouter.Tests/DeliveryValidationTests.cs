using System.Net;
using System.Text.Json.Nodes;
using EmergencySolution.CallbackRouter.Tests.Fakes;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>
/// What the webhook refuses: malformed deliveries (400), too large ones (413), any query string (400), deliveries
/// without the shared secret in its header (401). None reaches Dataverse or ACS. Bearer tokens: WebhookEntraIdTests.
/// </summary>
[TestClass]
public sealed class DeliveryValidationTests
{
    private const string LeasedNumber = "+4532150123";

    private RouterHarness? _router;

    [TestCleanup]
    public async Task StopAsync()
    {
        if (_router is not null)
        {
            await _router!.DisposeAsync();
        }
    }

    public static IEnumerable<object[]> MalformedDeliveries()
    {
        yield return new object[] { "not JSON", "{ this is not json" };
        yield return new object[] { "a JSON number", "42" };
        yield return new object[] { "an empty array", "[]" };
        yield return new object[] { "an event without eventType", new JsonArray(WithoutField(Events.IncomingCallEvent(LeasedNumber, "+4532150999", "c1", "ctx"), "eventType")).ToJsonString() };
        yield return new object[] { "an IncomingCall without incomingCallContext", new JsonArray(WithoutDataField("incomingCallContext")).ToJsonString() };
        yield return new object[] { "an IncomingCall without correlationId", new JsonArray(WithoutDataField("correlationId")).ToJsonString() };
        yield return new object[] { "an IncomingCall without to", new JsonArray(WithoutDataField("to")).ToJsonString() };
        yield return new object[] { "an IncomingCall whose data is a string", new JsonArray(WithData("surprise")).ToJsonString() };
        yield return new object[] { "a validation event without a code", Events.SubscriptionValidation(string.Empty) };
        yield return new object[] { "a good call batched with a bad one", new JsonArray(Events.IncomingCallEvent(LeasedNumber, "+4532150999", "c-good", "ctx"), WithoutDataField("incomingCallContext")).ToJsonString() };
    }

    [TestMethod]
    [DynamicData(nameof(MalformedDeliveries))]
    public async Task MalformedDelivery_400_AndNothingElse(string description, string body)
    {
        await StartAsync();

        using var response = await _router!.PostAsync(body);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, description);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "Malformed Event Grid delivery");
        Assert.AreEqual(0, _router!.Dataverse.Server.Requests.Count, description + ": Dataverse was called");
        Assert.AreEqual(0, _router!.Acs.Server.Requests.Count, description + ": ACS was called");
    }

    [TestMethod]
    public async Task OversizedDelivery_413_AndNothingElse()
    {
        await StartAsync();

        using var response = await _router!.PostAsync("[\"" + new string('x', 1024 * 1024) + "\"]");

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.AreEqual(0, _router!.Dataverse.Server.Requests.Count);
    }

    [TestMethod]
    public async Task UnknownEventType_Skipped_NotRejected()
    {
        await StartAsync();
        var other = Events.IncomingCallEvent(LeasedNumber, "+4532150999", "c-other", "ctx");
        other["eventType"] = "Microsoft.Communication.CallEnded";
        other["data"] = new JsonObject { ["anything"] = 1 };

        using var response = await _router!.PostAsync(new JsonArray(other).ToJsonString());

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(1, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["skippedEvents"]!.GetValue<int>());
        Assert.AreEqual(0, _router!.Dataverse.Server.Requests.Count);
    }

    [TestMethod]
    public async Task MoreEventsThanTheCap_413_AndNothingElse()
    {
        await StartAsync(s => s["CallbackRouter:Webhook:MaxEventsPerDelivery"] = "3");
        var four = new JsonArray(Enumerable.Range(0, 4).Select(i => (JsonNode)Events.IncomingCallEvent(LeasedNumber, "+4532150999", "c-cap-" + i, "ctx")).ToArray());

        using var response = await _router!.PostAsync(four.ToJsonString());

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "at most 3 are accepted (CallbackRouter:Webhook:MaxEventsPerDelivery)");
        Assert.AreEqual(0, _router!.Dataverse.Server.Requests.Count);
        Assert.AreEqual(0, _router!.Acs.Server.Requests.Count);
    }

    [TestMethod]
    public async Task EventsUpToTheCap_AllRouted()
    {
        await StartAsync(s => s["CallbackRouter:Webhook:MaxEventsPerDelivery"] = "3");
        var three = new JsonArray(Enumerable.Range(0, 3).Select(i => (JsonNode)Events.IncomingCallEvent(LeasedNumber, "+4532150999", "c-cap-" + i, "ctx")).ToArray());

        var outcome = await _router!.PostForOutcomeAsync(three.ToJsonString());

        Assert.AreEqual(3, outcome["answer"]!["accepted"]!.GetValue<int>());
        Assert.AreEqual(3, outcome["calls"]!.AsArray().Count);
    }

    [TestMethod]
    public void DefaultCap_IsTen()
    {
        Assert.AreEqual(10, new EmergencySolution.CallbackRouter.Configuration.WebhookOptions().MaxEventsPerDelivery);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("webhook-secret-for-tests-only-012345678")]
    [DataRow("webhook-secret-for-tests-only-0123456789x")]
    [DataRow("WEBHOOK-SECRET-FOR-TESTS-ONLY-0123456789")]
    [DataRow("")]
    public async Task SharedSecretConfigured_DeliveryWithoutItInTheHeader_401_AndNothingElse(string? presented)
    {
        await StartAsync(RouterSettings.WithWebhookSecret);

        using var response = await _router!.PostAsync(Events.IncomingCall(LeasedNumber), headers: presented is null ? null : RouterSettings.SecretHeader(presented));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual(0, _router!.Dataverse.Server.Requests.Count);
        Assert.AreEqual(0, _router!.Acs.Server.Requests.Count);
        Assert.AreEqual(0, _router!.Routed.Count);
    }

    [TestMethod]
    public async Task SharedSecretConfigured_HandshakeAndCallsWithItInTheHeader_AreHandled()
    {
        await StartAsync(RouterSettings.WithWebhookSecret);

        using var handshake = await _router!.PostAsync(Events.SubscriptionValidation("code-2"), headers: RouterSettings.SecretHeader());
        var call = await _router!.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber), RouterSettings.SecretHeader());

        Assert.AreEqual(HttpStatusCode.OK, handshake.StatusCode);
        Assert.AreEqual("code-2", JsonNode.Parse(await handshake.Content.ReadAsStringAsync())!["validationResponse"]!.GetValue<string>());
        Assert.AreEqual(1, call["calls"]!.AsArray().Count);
        Assert.AreEqual(1, _router!.Dataverse.ResolveRequests.Count());
    }

    [TestMethod]
    public async Task SecretRotation_BothTheCurrentAndTheNextSecretAccepted_NoOther()
    {
        const string next = "the-next-webhook-secret-for-tests-0123456789";
        await StartAsync(s =>
        {
            RouterSettings.WithWebhookSecret(s);
            s["CallbackRouter:Webhook:NextSharedSecret"] = next;
        });

        using var current = await _router!.PostAsync(Events.SubscriptionValidation("code-4"), headers: RouterSettings.SecretHeader());
        using var upcoming = await _router!.PostAsync(Events.SubscriptionValidation("code-4"), headers: RouterSettings.SecretHeader(next));
        using var other = await _router!.PostAsync(Events.SubscriptionValidation("code-4"), headers: RouterSettings.SecretHeader(next + "x"));

        Assert.AreEqual(HttpStatusCode.OK, current.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, upcoming.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [TestMethod]
    public async Task SharedSecretInAnotherConfiguredHeader_IsHandled()
    {
        await StartAsync(s =>
        {
            RouterSettings.WithWebhookSecret(s);
            s["CallbackRouter:Webhook:SharedSecretHeader"] = "X-Contoso-Webhook-Key";
        });

        using var wrongHeader = await _router!.PostAsync(Events.SubscriptionValidation("code-3"), headers: RouterSettings.SecretHeader());
        using var rightHeader = await _router!.PostAsync(Events.SubscriptionValidation("code-3"), headers: new Dictionary<string, string> { ["X-Contoso-Webhook-Key"] = RouterSettings.WebhookSecret });

        Assert.AreEqual(HttpStatusCode.Unauthorized, wrongHeader.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, rightHeader.StatusCode);
    }

    [TestMethod]
    [DataRow("?code=webhook-secret-for-tests-only-0123456789", true)]
    [DataRow("?code=webhook-secret-for-tests-only-0123456789", false)]
    [DataRow("?anything=1", true)]
    [DataRow("?", true)]
    public async Task AnyQueryString_400_EvenWithTheRightSecret_AndNothingElse(string query, bool withHeader)
    {
        await StartAsync(RouterSettings.WithWebhookSecret);

        using var response = await _router!.PostAsync(Events.IncomingCall(LeasedNumber), query, withHeader ? RouterSettings.SecretHeader() : null);

        if (query == "?")
        {
            // An empty query string is no query string: HttpClient and Kestrel both drop the lone "?".
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "The webhook takes no query string");
        Assert.AreEqual(0, _router!.Dataverse.Server.Requests.Count);
        Assert.AreEqual(0, _router!.Acs.Server.Requests.Count);
        Assert.IsFalse(_router!.Logs.Any(l => l.Contains("Refused a delivery", StringComparison.Ordinal) && l.Contains(RouterSettings.WebhookSecret, StringComparison.Ordinal)), "the router's own log repeated the secret");
    }

    [TestMethod]
    public async Task OptionsHandshake_NeedsNoAuthentication_AndRevealsNothing()
    {
        await StartAsync(RouterSettings.WithWebhookSecret);
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/incoming-call");
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");

        using var response = await _router!.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("eventgrid.azure.net", response.Headers.GetValues("WebHook-Allowed-Origin").Single());
        Assert.AreEqual(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task LongOrOddCorrelationIds_KeptAndLoggedAsABoundedDigest_AndStillRouted()
    {
        await StartAsync();
        var huge = new string('c', 100_000);
        var withLineBreak = "forged\nInformation fake log line";

        var first = await _router!.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber, correlationId: huge));
        var again = await _router!.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber, correlationId: huge));
        var odd = await _router!.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber, correlationId: withLineBreak));

        var kept = first["calls"]!.AsArray().Single()!["correlationId"]!.GetValue<string>();
        StringAssert.StartsWith(kept, "sha256:");
        Assert.IsTrue(kept.Length <= EmergencySolution.CallbackRouter.Webhook.EventGridDelivery.MaxKeptIdLength, kept);
        Assert.AreEqual("Duplicate", again["calls"]!.AsArray().Single()!["outcome"]!.GetValue<string>(), "the digest still recognises a redelivery");
        StringAssert.StartsWith(odd["calls"]!.AsArray().Single()!["correlationId"]!.GetValue<string>(), "sha256:");
        Assert.IsFalse(_router!.Logs.Any(l => l.Contains("cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", StringComparison.Ordinal)), "a long id reached the log");
        Assert.IsFalse(_router!.Logs.Any(l => l.Contains("fake log line", StringComparison.Ordinal)), "an id with a line break reached the log");
        Assert.AreEqual(2, _router!.Acs.Redirects.Count(), "both distinct calls were routed");
    }

    [TestMethod]
    public void KeptId_GuidsAsTheyAre_OthersAsAStableDigest()
    {
        var guid = Guid.NewGuid().ToString();

        Assert.AreEqual(guid, EmergencySolution.CallbackRouter.Webhook.EventGridDelivery.KeptId(guid));
        Assert.AreEqual(EmergencySolution.CallbackRouter.Webhook.EventGridDelivery.KeptId("a b"), EmergencySolution.CallbackRouter.Webhook.EventGridDelivery.KeptId("a b"));
        Assert.AreNotEqual(EmergencySolution.CallbackRouter.Webhook.EventGridDelivery.KeptId("a b"), EmergencySolution.CallbackRouter.Webhook.EventGridDelivery.KeptId("a c"));
        Assert.AreEqual("sha256:".Length + 32, EmergencySolution.CallbackRouter.Webhook.EventGridDelivery.KeptId(new string('x', 65)).Length);
    }

    [TestMethod]
    public async Task LongUnknownEventType_Skipped_AndNeitherAnsweredNorLogged()
    {
        await StartAsync();
        var other = Events.IncomingCallEvent(LeasedNumber, "+4532150999", "c-type-2", "ctx");
        other["eventType"] = new string('T', 5000);
        other["data"] = "not an object";

        using var response = await _router!.PostAsync(new JsonArray(other).ToJsonString());

        var body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(1, JsonNode.Parse(body)!["skippedEvents"]!.GetValue<int>());
        Assert.IsFalse(body.Contains(new string('T', 100), StringComparison.Ordinal), body);
        Assert.IsFalse(_router!.Logs.Any(l => l.Contains(new string('T', 100), StringComparison.Ordinal)));
    }

    private async Task StartAsync(Action<Dictionary<string, string?>>? settings = null)
    {
        _router = await RouterHarness.StartAsync(settings);
        _router!.Dataverse.Lease(LeasedNumber, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(30));
    }

    private static JsonObject WithoutDataField(string field)
    {
        var incoming = Events.IncomingCallEvent(LeasedNumber, "+4532150999", "c-bad", "ctx-bad");
        incoming["data"]!.AsObject().Remove(field);
        return incoming;
    }

    private static JsonObject WithData(JsonNode data)
    {
        var incoming = Events.IncomingCallEvent(LeasedNumber, "+4532150999", "c-bad", "ctx-bad");
        incoming["data"] = data;
        return incoming;
    }

    private static JsonObject WithoutField(JsonObject incoming, string field)
    {
        incoming.Remove(field);
        return incoming;
    }
}
