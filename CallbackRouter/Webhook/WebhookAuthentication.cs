using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Routing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace EmergencySolution.CallbackRouter.Webhook;

/// <summary>
/// Who may post to the webhook: the Event Grid subscription, proven one of the two ways Event Grid documents for a
/// webhook.
/// <list type="bullet">
/// <item>Microsoft Entra ID-protected delivery: a bearer token whose signature checks against the tenant's published
/// keys (JWKS, found through its OpenID configuration), whose issuer is the tenant, whose audience is the webhook's
/// app registration, which has not expired, and which carries the <see cref="EntraIdWebhookOptions.SubscriberRole"/>
/// app role (Event Grid's service principal is assigned it), and, when an allow-list is configured, was issued to one
/// of its applications (Event Grid's). A valid token failing either is answered 403.</item>
/// <item>A shared secret in a delivery header (the subscription's static delivery property, marked secret),
/// compared in constant time.</item>
/// </list>
/// Either or both may be configured. With neither, deliveries are accepted unauthenticated, which the options
/// validator allows outside Production only. A query string is refused before authentication: a secret there ends up
/// in request logs.
/// </summary>
public static class WebhookAuthentication
{
    public const string PolicyName = "EventGridDelivery";

    /// <summary>Picks, per request, the scheme that can judge it (bearer token or delivery header).</summary>
    public const string DeliveryScheme = "EventGridDelivery";

    public const string EntraIdScheme = "EventGridEntraId";

    public const string SharedSecretScheme = "EventGridSharedSecret";

    /// <summary>The claim Microsoft Entra ID puts app roles in.</summary>
    public const string RolesClaim = "roles";

    public static void AddWebhookAuthentication(IServiceCollection services)
    {
        services.AddAuthentication()
            .AddPolicyScheme(DeliveryScheme, "Event Grid delivery", scheme => scheme.ForwardDefaultSelector = SelectScheme)
            .AddJwtBearer(EntraIdScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, SharedSecretAuthenticationHandler>(SharedSecretScheme, _ => { });

        // Read when the scheme is first used, after ValidateOnStart has checked the options.
        services.AddOptions<JwtBearerOptions>(EntraIdScheme).Configure<IOptions<CallbackRouterOptions>>((jwt, router) =>
        {
            var entra = router.Value.Webhook.EntraId;
            if (!entra.IsConfigured)
            {
                return;
            }

            jwt.Authority = entra.Authority;
            jwt.RequireHttpsMetadata = !IsLoopbackHttp(entra.Instance);
            jwt.MapInboundClaims = false;

            // The caller learns that it was refused, not which check failed.
            jwt.IncludeErrorDetails = false;
            jwt.TokenValidationParameters.ValidIssuers = entra.ValidIssuers;
            jwt.TokenValidationParameters.ValidAudiences = entra.ValidAudiences;
            jwt.TokenValidationParameters.RoleClaimType = RolesClaim;
            jwt.TokenValidationParameters.AuthenticationType = EntraIdScheme;
            jwt.TokenValidationParameters.ValidateIssuer = true;
            jwt.TokenValidationParameters.ValidateAudience = true;
            jwt.TokenValidationParameters.ValidateLifetime = true;
            jwt.TokenValidationParameters.RequireExpirationTime = true;
            jwt.TokenValidationParameters.RequireSignedTokens = true;
            jwt.TokenValidationParameters.ValidateIssuerSigningKey = true;
            jwt.Events = new JwtBearerEvents
            {
                OnAuthenticationFailed = context =>
                {
                    RouterLog.Unauthorized(Logger(context.HttpContext), "its bearer token was refused (" + context.Exception.GetType().Name + ")");
                    return Task.CompletedTask;
                },
                OnChallenge = context =>
                {
                    if (context.AuthenticateFailure is null)
                    {
                        RouterLog.Unauthorized(Logger(context.HttpContext), "it carries no bearer token");
                    }

                    return Task.CompletedTask;
                },
            };
        });

        services.AddAuthorization(authorization => authorization.AddPolicy(PolicyName, policy => policy
            .AddAuthenticationSchemes(DeliveryScheme)
            .AddRequirements(new EventGridSenderRequirement())));
        services.AddSingleton<IAuthorizationHandler, EventGridSenderHandler>();
    }

    /// <summary>A bearer token goes to Entra ID when that is configured; everything else is judged by the shared secret.</summary>
    private static string SelectScheme(HttpContext http)
    {
        var webhook = http.RequestServices.GetRequiredService<IOptions<CallbackRouterOptions>>().Value.Webhook;
        if (!webhook.EntraId.IsConfigured)
        {
            return SharedSecretScheme;
        }

        var hasBearer = http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        return hasBearer || !webhook.HasSharedSecret ? EntraIdScheme : SharedSecretScheme;
    }

    private static bool IsLoopbackHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    internal static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IncomingCallWebhook));
}

/// <summary>The delivery comes from the Event Grid subscription (or no authentication is configured, outside Production).</summary>
public sealed class EventGridSenderRequirement : IAuthorizationRequirement
{
}

internal sealed class EventGridSenderHandler : AuthorizationHandler<EventGridSenderRequirement>
{
    private readonly WebhookOptions _webhook;
    private readonly HashSet<string> _allowedClients;

    public EventGridSenderHandler(IOptions<CallbackRouterOptions> options)
    {
        _webhook = options.Value.Webhook;
        _allowedClients = new HashSet<string>(_webhook.EntraId.AllowedClientApplicationIds, StringComparer.OrdinalIgnoreCase);
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, EventGridSenderRequirement requirement)
    {
        if (!_webhook.HasAuthentication)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        foreach (var identity in context.User.Identities.Where(i => i.IsAuthenticated))
        {
            if (identity.AuthenticationType == WebhookAuthentication.SharedSecretScheme
                || (identity.AuthenticationType == WebhookAuthentication.EntraIdScheme && HoldsTheRole(identity) && IsAllowedClient(identity)))
            {
                context.Succeed(requirement);
                return Task.CompletedTask;
            }
        }

        var token = context.User.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == WebhookAuthentication.EntraIdScheme);
        if (token is not null && context.Resource is HttpContext http)
        {
            RouterLog.Unauthorized(WebhookAuthentication.Logger(http), HoldsTheRole(token)
                ? "its bearer token was issued to an application not in CallbackRouter:Webhook:EntraId:AllowedClientApplicationIds"
                : "its bearer token lacks the " + EntraIdWebhookOptions.SubscriberRole + " role");
        }

        return Task.CompletedTask;
    }

    private static bool HoldsTheRole(System.Security.Claims.ClaimsIdentity identity) =>
        identity.HasClaim(WebhookAuthentication.RolesClaim, EntraIdWebhookOptions.SubscriberRole);

    /// <summary>v2.0 tokens name the client application in azp, v1.0 tokens in appid.</summary>
    private bool IsAllowedClient(System.Security.Claims.ClaimsIdentity identity) =>
        _allowedClients.Count == 0
        || identity.FindAll("azp").Concat(identity.FindAll("appid")).Any(claim => _allowedClients.Contains(claim.Value));
}

/// <summary>
/// The shared secret from its delivery header. Both sides are hashed before the constant-time comparison, so neither
/// the time taken nor an early exit on length tells a guesser anything.
/// </summary>
internal sealed class SharedSecretAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    private readonly WebhookOptions _webhook;
    private readonly byte[][] _secretHashes;

    public SharedSecretAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<CallbackRouterOptions> router)
        : base(options, logger, encoder)
    {
        _webhook = router.Value.Webhook;
        _secretHashes = new[] { _webhook.SharedSecret, _webhook.NextSharedSecret }
            .Where(secret => secret.Length > 0)
            .Select(secret => SHA256.HashData(Encoding.UTF8.GetBytes(secret)))
            .ToArray();
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (_secretHashes.Length == 0 || !Request.Headers.TryGetValue(_webhook.SharedSecretHeader, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // Every configured secret is compared, so the time taken does not tell which one (if any) matched.
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented.ToString()));
        var matched = false;
        foreach (var secretHash in _secretHashes)
        {
            matched |= CryptographicOperations.FixedTimeEquals(presentedHash, secretHash);
        }

        if (!matched)
        {
            RouterLog.Unauthorized(WebhookAuthentication.Logger(Context), "its " + _webhook.SharedSecretHeader + " header does not hold the shared secret");
            return Task.FromResult(AuthenticateResult.Fail("The shared secret does not match."));
        }

        var identity = new ClaimsIdentity(new[] { new Claim(ClaimTypes.Name, "Event Grid subscription") }, WebhookAuthentication.SharedSecretScheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!Request.Headers.ContainsKey(_webhook.SharedSecretHeader))
        {
            RouterLog.Unauthorized(WebhookAuthentication.Logger(Context), "it carries neither a bearer token nor the " + _webhook.SharedSecretHeader + " header");
        }

        return base.HandleChallengeAsync(properties);
    }
}
