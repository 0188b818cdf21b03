using System.Net;
using System.Text.Json.Nodes;
using EmergencySolution.CallbackRouter.Tests.Fakes;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>What the webhook refuses: malformed deliveries (400) and deliveries without the shared secret (401). Neither reaches Dataverse or ACS.</summary>
[TestClass]
public sealed class DeliveryValidationTests
{
    private const string LeasedNumber = "+4532150123";

    private RouterHarness _router = null!;

    [TestCleanup]
    public async Task StopAsync() => await _router.DisposeAsync();

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

        using var response = await _router.PostAsync(body);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, description);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "Malformed Event Grid delivery");
        Assert.AreEqual(0, _router.Dataverse.Server.Requests.Count, description + ": Dataverse was called");
        Assert.AreEqual(0, _router.Acs.Server.Requests.Count, description + ": ACS was called");
    }

    [TestMethod]
    public async Task OversizedDelivery_413_AndNothingElse()
    {
        await StartAsync();

        using var response = await _router.PostAsync("[\"" + new string('x', 1024 * 1024) + "\"]");

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.AreEqual(0, _router.Dataverse.Server.Requests.Count);
    }

    [TestMethod]
    public async Task UnknownEventType_Skipped_NotRejected()
    {
        await StartAsync();
        var other = Events.IncomingCallEvent(LeasedNumber, "+4532150999", "c-other", "ctx");
        other["eventType"] = "Microsoft.Communication.CallEnded";
        other["data"] = new JsonObject { ["anything"] = 1 };

        using var response = await _router.PostAsync(new JsonArray(other).ToJsonString());

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(1, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["skippedEvents"]!.GetValue<int>());
        Assert.AreEqual(0, _router.Dataverse.Server.Requests.Count);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("?code=wrong")]
    [DataRow("?code=")]
    public async Task SharedSecretConfigured_DeliveryWithoutIt_401_AndNothingElse(string? query)
    {
        await StartAsync(s => s["CallbackRouter:Webhook:SharedSecret"] = "s3cret-in-the-subscription-url");

        using var response = await _router.PostAsync(Events.SubscriptionValidation("code-1"), query);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual(0, _router.Dataverse.Server.Requests.Count);
        Assert.AreEqual(0, _router.Acs.Server.Requests.Count);
    }

    [TestMethod]
    public async Task SharedSecretConfigured_DeliveryWithIt_IsHandled()
    {
        await StartAsync(s => s["CallbackRouter:Webhook:SharedSecret"] = "s3cret-in-the-subscription-url");

        using var response = await _router.PostAsync(Events.SubscriptionValidation("code-2"), "?code=s3cret-in-the-subscription-url");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "code-2");
    }

    private async Task StartAsync(Action<Dictionary<string, string?>>? settings = null)
    {
        _router = await RouterHarness.StartAsync(settings);
        _router.Dataverse.Lease(LeasedNumber, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(30));
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
