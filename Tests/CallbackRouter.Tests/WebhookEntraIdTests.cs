using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EmergencySolution.CallbackRouter.Tests.Fakes;
using Microsoft.IdentityModel.Tokens;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>
/// Microsoft Entra ID-protected delivery, against a loopback tenant that publishes its OpenID configuration and
/// signing keys and signs real RS256 tokens. A token is accepted only with the tenant's signature, the tenant's
/// issuer, the webhook app as audience, a lifetime that has not ended, and the AzureEventGridSecureWebhookSubscriber
/// role; every refusal reaches neither Dataverse nor ACS.
/// </summary>
[TestClass]
public sealed class WebhookEntraIdTests
{
    private const string LeasedNumber = "+16175550142";

    private FakeEntraIdIssuer _tenant = null!;
    private RouterHarness _router = null!;

    [TestCleanup]
    public async Task StopAsync()
    {
        if (_router is not null)
        {
            await _router.DisposeAsync();
        }

        if (_tenant is not null)
        {
            await _tenant.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task ValidToken_ValidationHandshakeAnswered()
    {
        await StartAsync();

        using var response = await _router.PostAsync(Events.SubscriptionValidation("entra-handshake-code"), headers: FakeEntraIdIssuer.Bearer(_tenant.Token()));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("entra-handshake-code", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["validationResponse"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task ValidationHandshakeWithoutAToken_401()
    {
        await StartAsync();

        using var response = await _router.PostAsync(Events.SubscriptionValidation("entra-handshake-code"));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.IsFalse((await response.Content.ReadAsStringAsync()).Contains("entra-handshake-code", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task ValidToken_CallRoutedToTheAgent_AndTheKeysAreReadOnce()
    {
        await StartAsync();

        var first = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber), FakeEntraIdIssuer.Bearer(_tenant.Token()));
        var second = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber), FakeEntraIdIssuer.Bearer(_tenant.Token()));

        IncomingCallRoutingTests.AssertOutcome(first, "RedirectedToAgent", "None");
        IncomingCallRoutingTests.AssertOutcome(second, "RedirectedToAgent", "None");
        Assert.AreEqual(1, _tenant.MetadataRequests, "the OpenID configuration is cached");
        Assert.AreEqual(1, _tenant.KeyRequests, "the signing keys are cached");
    }

    [TestMethod]
    public async Task V1IssuerAndApplicationIdUriAudience_Accepted()
    {
        await StartAsync();

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber),
            FakeEntraIdIssuer.Bearer(_tenant.Token(issuer: FakeEntraIdIssuer.V1Issuer, audience: FakeEntraIdIssuer.WebhookApplicationIdUri)));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToAgent", "None");
    }

    public static IEnumerable<object[]> RefusedTokens()
    {
        yield return new object[] { "another tenant's issuer", HttpStatusCode.Unauthorized };
        yield return new object[] { "another app's audience", HttpStatusCode.Unauthorized };
        yield return new object[] { "expired", HttpStatusCode.Unauthorized };
        yield return new object[] { "signed with a key the tenant never published, under its key id", HttpStatusCode.Unauthorized };
        yield return new object[] { "signed with an unknown key id", HttpStatusCode.Unauthorized };
        yield return new object[] { "unsigned (alg none)", HttpStatusCode.Unauthorized };
        yield return new object[] { "not a JWT", HttpStatusCode.Unauthorized };
        yield return new object[] { "without any role", HttpStatusCode.Forbidden };
        yield return new object[] { "with another role only", HttpStatusCode.Forbidden };
    }

    [TestMethod]
    [DynamicData(nameof(RefusedTokens))]
    public async Task WrongToken_Refused_AndNothingElse(string what, HttpStatusCode expected)
    {
        await StartAsync();
        var token = what switch
        {
            "another tenant's issuer" => _tenant.Token(issuer: _tenant.Instance + "/0badbad0-0000-4000-8000-000000000000/v2.0"),
            "another app's audience" => _tenant.Token(audience: "00000003-0000-0000-c000-000000000000"),
            "expired" => _tenant.Token(expires: DateTime.UtcNow.AddMinutes(-30)),
            "signed with a key the tenant never published, under its key id" => _tenant.Token(signingKey: FakeEntraIdIssuer.ForeignKey()),
            "signed with an unknown key id" => _tenant.Token(signingKey: FakeEntraIdIssuer.ForeignKey("unknown-key")),
            "unsigned (alg none)" => Unsigned(_tenant.Token()),
            "not a JWT" => "not-a-token",
            "without any role" => _tenant.Token(roles: Array.Empty<string>()),
            "with another role only" => _tenant.Token(roles: new[] { "Reader" }),
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
        };

        using var handshake = await _router.PostAsync(Events.SubscriptionValidation("not-for-you"), headers: FakeEntraIdIssuer.Bearer(token));
        using var call = await _router.PostAsync(Events.IncomingCall(LeasedNumber), headers: FakeEntraIdIssuer.Bearer(token));

        Assert.AreEqual(expected, handshake.StatusCode, what);
        Assert.AreEqual(expected, call.StatusCode, what);
        Assert.IsFalse((await handshake.Content.ReadAsStringAsync()).Contains("not-for-you", StringComparison.Ordinal), what);
        Assert.AreEqual(0, _router.Dataverse.Server.Requests.Count, what + ": Dataverse was called");
        Assert.AreEqual(0, _router.Acs.Server.Requests.Count, what + ": ACS was called");
        Assert.AreEqual(0, _router.Routed.Count, what);
        var challenge = string.Join(" ", call.Headers.WwwAuthenticate.Select(h => h.ToString()));
        Assert.IsFalse(challenge.Contains("error_description", StringComparison.Ordinal), "the refusal tells the caller which check failed: " + challenge);
        Assert.IsTrue(_router.Logs.Any(l => l.Contains("Refused a delivery", StringComparison.Ordinal)), what + ": the refusal is logged");
    }

    [TestMethod]
    public async Task AllowedClientApplications_OnlyTheirTokensAccepted_AzpOrV1Appid()
    {
        await StartAsync(s => s["CallbackRouter:Webhook:EntraId:AllowedClientApplicationIds:0"] = FakeEntraIdIssuer.EventGridApplicationId);
        const string subscriptionWriter = "5a1e5a1e-0000-4000-8000-00000000a11e";

        var eventGrid = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber), FakeEntraIdIssuer.Bearer(_tenant.Token()));
        var eventGridV1 = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber),
            FakeEntraIdIssuer.Bearer(_tenant.Token(issuer: FakeEntraIdIssuer.V1Issuer, clientClaim: "appid")));
        using var writer = await _router.PostAsync(Events.IncomingCall(LeasedNumber), headers: FakeEntraIdIssuer.Bearer(_tenant.Token(clientApplicationId: subscriptionWriter)));

        IncomingCallRoutingTests.AssertOutcome(eventGrid, "RedirectedToAgent", "None");
        IncomingCallRoutingTests.AssertOutcome(eventGridV1, "RedirectedToAgent", "None");
        Assert.AreEqual(HttpStatusCode.Forbidden, writer.StatusCode, "a role holder that is not Event Grid");
        Assert.AreEqual(2, _router.Dataverse.ResolveRequests.Count());
        Assert.IsTrue(_router.Logs.Any(l => l.Contains("not in CallbackRouter:Webhook:EntraId:AllowedClientApplicationIds", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task NoAllowList_AnyHolderOfTheRoleAccepted()
    {
        await StartAsync();

        var outcome = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber), FakeEntraIdIssuer.Bearer(_tenant.Token(clientApplicationId: "5a1e5a1e-0000-4000-8000-00000000a11e")));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToAgent", "None");
    }

    [TestMethod]
    public async Task BothWaysConfigured_EitherIsAccepted_AndAWrongBearerIsNotRescuedByTheSecret()
    {
        await StartAsync(RouterSettings.WithWebhookSecret);
        var withBoth = new Dictionary<string, string>(RouterSettings.SecretHeader()) { ["Authorization"] = "Bearer " + _tenant.Token(audience: "someone-else") };

        var byToken = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber), FakeEntraIdIssuer.Bearer(_tenant.Token()));
        var bySecret = await _router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber), RouterSettings.SecretHeader());
        using var wrongBearer = await _router.PostAsync(Events.IncomingCall(LeasedNumber), headers: withBoth);

        IncomingCallRoutingTests.AssertOutcome(byToken, "RedirectedToAgent", "None");
        IncomingCallRoutingTests.AssertOutcome(bySecret, "RedirectedToAgent", "None");
        Assert.AreEqual(HttpStatusCode.Unauthorized, wrongBearer.StatusCode);
    }

    private async Task StartAsync(Action<Dictionary<string, string?>>? more = null)
    {
        _tenant = await FakeEntraIdIssuer.StartAsync();
        _router = await RouterHarness.StartAsync(s =>
        {
            _tenant.Configure(s);
            more?.Invoke(s);
        });
        var agentId = Guid.NewGuid();
        _router.Dataverse.Lease(LeasedNumber, agentId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(30));
        _router.Dataverse.User(agentId, Guid.NewGuid());
    }

    /// <summary>The same claims with the header switched to alg "none" and the signature dropped.</summary>
    private static string Unsigned(string token)
    {
        var payload = token.Split('.')[1];
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
        return header + "." + payload + ".";
    }
}
