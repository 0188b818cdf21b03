namespace EmergencySolution.CallbackRouter.Tests.Fakes;

/// <summary>
/// A complete, valid router configuration pointing at the loopback fakes, as "CallbackRouter:…" keys (the in-process
/// host takes them as configuration, the process as CallbackRouter__… environment variables). Tests change one key
/// to test one thing.
/// </summary>
public static class RouterSettings
{
    /// <summary>A base64 key for tests only ("password-for-tests-only-0123456789").</summary>
    public const string AccessKey = "cGFzc3dvcmQtZm9yLXRlc3RzLW9ubHktMDEyMzQ1Njc4OQ==";

    public const string FallbackRawId = "8:acs:00000000-0000-0000-0000-00000000fa11_security-desk";

    /// <summary>A webhook secret for tests only, as long as the router requires.</summary>
    public const string WebhookSecret = "webhook-secret-for-tests-only-0123456789";

    /// <summary>The delivery header an Event Grid subscription sends the secret in (the router's default name).</summary>
    public static Dictionary<string, string> SecretHeader(string secret = WebhookSecret) => new() { ["X-Callback-Router-Secret"] = secret };

    /// <summary>Webhook authentication by shared secret, as Production requires some authentication.</summary>
    public static void WithWebhookSecret(IDictionary<string, string?> settings) => settings["CallbackRouter:Webhook:SharedSecret"] = WebhookSecret;

    public static Dictionary<string, string?> For(FakeDataverse dataverse, FakeAcs acs) => new()
    {
        ["CallbackRouter:Dataverse:Url"] = dataverse.Server.BaseAddress.ToString().TrimEnd('/'),
        ["CallbackRouter:Dataverse:TenantId"] = "contoso.onmicrosoft.com",
        ["CallbackRouter:Dataverse:ClientId"] = "11111111-2222-3333-4444-555555555555",
        ["CallbackRouter:Dataverse:ClientSecret"] = "test-secret-not-real",
        ["CallbackRouter:Acs:Endpoint"] = acs.Server.BaseAddress.ToString(),
        ["CallbackRouter:Acs:AccessKey"] = AccessKey,
        ["CallbackRouter:Routing:FallbackTarget"] = FallbackRawId,
    };
}
