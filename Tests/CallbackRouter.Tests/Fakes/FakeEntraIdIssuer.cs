using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EmergencySolution.CallbackRouter.Tests.Fakes;

/// <summary>
/// A Microsoft Entra ID tenant as a token's validator sees it, on loopback: the tenant's OpenID configuration at
/// {instance}/{tenant}/v2.0/.well-known/openid-configuration, its signing keys (JWKS) at the jwks_uri it names, and
/// real RS256 tokens signed with the private key whose public half it publishes. Tests ask it for tokens with one
/// thing wrong at a time (issuer, audience, role, expiry, signing key).
/// </summary>
public sealed class FakeEntraIdIssuer : IAsyncDisposable
{
    public const string TenantId = "72f988bf-0000-4000-8000-00000000e17a";
    public const string WebhookApplicationId = "e1d0b00c-0000-4000-8000-0000000000e6";
    public const string WebhookApplicationIdUri = "api://emergency-callback-router";

    /// <summary>Event Grid's first-party application id, as Microsoft's secure-webhook script names it.</summary>
    public const string EventGridApplicationId = "4962773b-9cdb-44cf-a8bf-237846a00ab7";

    private readonly RSA _key = RSA.Create(2048);
    private readonly RsaSecurityKey _signingKey;

    private FakeEntraIdIssuer()
    {
        _signingKey = new RsaSecurityKey(_key) { KeyId = "fake-entra-key-1" };
    }

    public LoopbackServer Server { get; private set; } = null!;

    /// <summary>What the router is configured with as CallbackRouter:Webhook:EntraId:Instance.</summary>
    public string Instance => Server.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The tenant's v2.0 issuer, as its OpenID configuration states it.</summary>
    public string Issuer => Instance + "/" + TenantId + "/v2.0";

    /// <summary>The issuer of v1.0 tokens (an app registration whose manifest leaves accessTokenAcceptedVersion unset).</summary>
    public static string V1Issuer => "https://sts.windows.net/" + TenantId + "/";

    public int MetadataRequests => Server.Requests.Count(r => r.Path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal));

    public int KeyRequests => Server.Requests.Count(r => r.Path.EndsWith("/keys", StringComparison.Ordinal));

    public static async Task<FakeEntraIdIssuer> StartAsync()
    {
        var issuer = new FakeEntraIdIssuer();
        issuer.Server = await LoopbackServer.StartAsync(issuer.HandleAsync);
        return issuer;
    }

    /// <summary>The router's settings for Microsoft Entra ID-protected delivery from this tenant.</summary>
    public void Configure(IDictionary<string, string?> settings)
    {
        settings["CallbackRouter:Webhook:EntraId:TenantId"] = TenantId;
        settings["CallbackRouter:Webhook:EntraId:ApplicationId"] = WebhookApplicationId;
        settings["CallbackRouter:Webhook:EntraId:ApplicationIdUri"] = WebhookApplicationIdUri;
        settings["CallbackRouter:Webhook:EntraId:Instance"] = Instance;
    }

    /// <summary>
    /// A token as Event Grid's service principal gets it for the webhook's app: by default valid (this tenant's v2.0
    /// issuer, the app id as audience, the subscriber role, an hour to live, this tenant's key, issued to Event Grid's
    /// application in azp). Change one thing.
    /// </summary>
    public string Token(string? issuer = null, string? audience = null, string[]? roles = null, DateTime? expires = null, SecurityKey? signingKey = null, string clientApplicationId = EventGridApplicationId, string clientClaim = "azp")
    {
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddHours(1);
        var claims = new Dictionary<string, object>
        {
            ["roles"] = roles ?? new[] { "AzureEventGridSecureWebhookSubscriber" },
            ["tid"] = TenantId,
            [clientClaim] = clientApplicationId,
            ["oid"] = "0e9e7a3d-0000-4000-8000-0000000000e9",
            ["sub"] = "0e9e7a3d-0000-4000-8000-0000000000e9",
        };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? WebhookApplicationId,
            Claims = claims,
            IssuedAt = expiry < now ? expiry.AddHours(-1) : now,
            NotBefore = expiry < now ? expiry.AddHours(-1) : now.AddMinutes(-1),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(signingKey ?? _signingKey, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>An RSA key the tenant never published, under the published key's id (a forged signature).</summary>
    public static SecurityKey ForeignKey(string keyId = "fake-entra-key-1") => new RsaSecurityKey(RSA.Create(2048)) { KeyId = keyId };

    public static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = "Bearer " + token };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _key.Dispose();
    }

    private async Task HandleAsync(RecordedRequest request, HttpContext context)
    {
        if (request.Path == "/" + TenantId + "/v2.0/.well-known/openid-configuration")
        {
            await WriteJsonAsync(context, new JsonObject
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = Instance + "/" + TenantId + "/oauth2/v2.0/authorize",
                ["token_endpoint"] = Instance + "/" + TenantId + "/oauth2/v2.0/token",
                ["jwks_uri"] = Instance + "/" + TenantId + "/discovery/v2.0/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["subject_types_supported"] = new JsonArray("pairwise"),
            });
            return;
        }

        if (request.Path == "/" + TenantId + "/discovery/v2.0/keys")
        {
            var parameters = _key.ExportParameters(false);
            await WriteJsonAsync(context, new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = _signingKey.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                }),
            });
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private static async Task WriteJsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
