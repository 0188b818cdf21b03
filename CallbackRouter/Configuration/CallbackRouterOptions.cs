namespace EmergencySolution.CallbackRouter.Configuration;

/// <summary>
/// Everything the router is told, bound from the "CallbackRouter" section: appsettings.json for the defaults,
/// environment variables (CallbackRouter__Dataverse__ClientSecret, ...) or a secret store for the rest. The
/// repository holds no secret; see docs/router.md, "Configuration".
/// </summary>
public sealed class CallbackRouterOptions
{
    public const string SectionName = "CallbackRouter";

    public DataverseOptions Dataverse { get; set; } = new();

    public AcsOptions Acs { get; set; } = new();

    public RoutingOptions Routing { get; set; } = new();

    public WebhookOptions Webhook { get; set; } = new();
}

public sealed class DataverseOptions
{
    /// <summary>The environment URL, for example https://contoso.crm.dynamics.com.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>Microsoft Entra tenant (id or domain) of the application user.</summary>
    public string TenantId { get; set; } = string.Empty;

    /// <summary>Application (client) id of the app registration behind the application user.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Client secret of that app registration. Set it from the environment or a secret store only.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>
    /// Instead of a secret: a PFX file holding the app registration's certificate and its private key. Use one of
    /// ClientSecret and ClientCertificatePath, not both.
    /// </summary>
    public string ClientCertificatePath { get; set; } = string.Empty;

    /// <summary>The PFX file's password, if it has one (secret).</summary>
    public string ClientCertificatePassword { get; set; } = string.Empty;

    /// <summary>The Entra sign-in host; change it only for a national cloud.</summary>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com";
}

public sealed class AcsOptions
{
    /// <summary>The Communication Services endpoint, for example https://contoso.communication.azure.com.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The resource's access key (base64), used for HMAC-SHA256 request signing. Environment or secret store only.</summary>
    public string AccessKey { get; set; } = string.Empty;

    /// <summary>Call Automation REST API version.</summary>
    public string ApiVersion { get; set; } = "2025-05-15";
}

/// <summary>Which ACS identity an agent's callback is redirected to.</summary>
public enum AgentTargetKind
{
    /// <summary>
    /// The agent's Microsoft Teams user: systemuser.azureactivedirectoryobjectid, which emc_ResolveEmergencyCallback
    /// returns with the lease. Needs Read on users in the router role (the solution's Emergency Callback Router role has it).
    /// </summary>
    TeamsUser,

    /// <summary>The raw ACS identifier configured for the agent in <see cref="RoutingOptions.AgentTargets"/>.</summary>
    Configured,
}

public sealed class RoutingOptions
{
    /// <summary>
    /// The callback pool's numbers (E.164). Calls to other numbers are ignored without asking Dataverse, and only
    /// these numbers fall back to <see cref="FallbackTarget"/> when Dataverse cannot answer. Empty means: every
    /// number that reaches the router is a pool number (the Event Grid subscription filter is the only gate).
    /// </summary>
    public List<string> PoolNumbers { get; set; } = new();

    /// <summary>
    /// Raw ACS identifier of the supervisor or security desk (a phone number "4:+14255550100" or "+14255550100",
    /// an ACS user "8:acs:…", a Teams user "8:orgid:…"). It takes a pool number's call whenever the agent cannot be
    /// found in time, so a responder's callback is never left ringing nowhere.
    /// </summary>
    public string FallbackTarget { get; set; } = string.Empty;

    public AgentTargetKind AgentTarget { get; set; } = AgentTargetKind.TeamsUser;

    /// <summary>The Teams cloud of agents' Teams identities in TeamsUser mode: public, gcch or dod.</summary>
    public string TeamsCloud { get; set; } = "public";

    /// <summary>Agent id (systemuser id) → raw ACS identifier, used when <see cref="AgentTarget"/> is Configured.</summary>
    public Dictionary<string, string> AgentTargets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The hard deadline for finding the agent: token and lease lookup, retries included. Past it the call goes to
    /// <see cref="FallbackTarget"/>.
    /// </summary>
    public TimeSpan LookupDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time allowed for one redirect (to the agent, or to the fallback), retries included.</summary>
    public TimeSpan RedirectTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Retries after the first attempt, for Dataverse and for ACS alike.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base delay of the exponential, jittered back-off between attempts.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a handled correlationId is remembered, so a redelivered event is not redirected twice.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// How the webhook knows a delivery comes from the Event Grid subscription, and how much one delivery may hold.
/// Event Grid documents two ways for a webhook: a Microsoft Entra ID bearer token (the subscription's "Use Microsoft
/// Entra authentication") and a secret the subscription sends in a delivery header it was given ("Delivery
/// properties", marked "Is secret?"). Either or both may be set; a secret in the query string is refused, because
/// request logs and front ends keep URLs.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The delivery header that carries <see cref="SharedSecret"/> unless set otherwise.</summary>
    public const string DefaultSharedSecretHeader = "X-Callback-Router-Secret";

    /// <summary>Event Grid batching is off by default (one event per delivery); this allows a small batch.</summary>
    public const int DefaultMaxEventsPerDelivery = 10;

    /// <summary>Microsoft Entra ID-protected delivery; off while TenantId and ApplicationId are empty.</summary>
    public EntraIdWebhookOptions EntraId { get; set; } = new();

    /// <summary>
    /// When set, a delivery may authenticate by carrying it in <see cref="SharedSecretHeader"/> (a static delivery
    /// property of the Event Grid subscription, marked "Is secret?"). Compared in constant time.
    /// </summary>
    public string SharedSecret { get; set; } = string.Empty;

    /// <summary>
    /// For rotating the secret without a gap: a second secret accepted as well as <see cref="SharedSecret"/>. Set the
    /// new one here, change the subscription's header, then move it to SharedSecret and clear this. Event Grid does
    /// not retry a 401, so a delivery refused between the two changes would be lost.
    /// </summary>
    public string NextSharedSecret { get; set; } = string.Empty;

    /// <summary>The name of the delivery header that carries the shared secret.</summary>
    public string SharedSecretHeader { get; set; } = DefaultSharedSecretHeader;

    /// <summary>
    /// The most events one delivery may hold; a delivery with more is refused whole with 413, before anything is
    /// looked up. Keep the subscription's "Max events per batch" at or below it (batching off sends one).
    /// </summary>
    public int MaxEventsPerDelivery { get; set; } = DefaultMaxEventsPerDelivery;

    public bool HasSharedSecret => !string.IsNullOrEmpty(SharedSecret);

    /// <summary>True when at least one way of authenticating deliveries is configured.</summary>
    public bool HasAuthentication => HasSharedSecret || EntraId.IsConfigured;
}

/// <summary>
/// The Microsoft Entra app registration that protects the webhook, as the Event Grid subscription names it
/// ("Microsoft Entra tenant ID", "Microsoft Entra Application ID or URI"). Event Grid's service principal holds the
/// app's <see cref="SubscriberRole"/> app role and sends a bearer token for the app with every delivery.
/// </summary>
public sealed class EntraIdWebhookOptions
{
    /// <summary>The app role Event Grid's service principal is assigned on the webhook's app registration.</summary>
    public const string SubscriberRole = "AzureEventGridSecureWebhookSubscriber";

    /// <summary>The tenant (a GUID) of the webhook's app registration; tokens must be issued by it.</summary>
    public string TenantId { get; set; } = string.Empty;

    /// <summary>The webhook app registration's application (client) id; a token's audience may be it.</summary>
    public string ApplicationId { get; set; } = string.Empty;

    /// <summary>The app's Application ID URI (api://…), when the subscription names the app by it; also accepted as audience.</summary>
    public string ApplicationIdUri { get; set; } = string.Empty;

    /// <summary>
    /// When not empty, a token must also have been issued to one of these applications (its azp claim, or appid in a
    /// v1.0 token): Event Grid's own application id, so that the subscription's writer, who Microsoft's setup script
    /// also gives the role, cannot post deliveries with a token of their own. Empty: any holder of the role.
    /// </summary>
    public List<string> AllowedClientApplicationIds { get; set; } = new();

    /// <summary>The Entra sign-in host whose OpenID configuration and signing keys are read; change it only for a national cloud.</summary>
    public string Instance { get; set; } = "https://login.microsoftonline.com";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TenantId) || !string.IsNullOrWhiteSpace(ApplicationId);

    /// <summary>Where the tenant's OpenID configuration (and from it the signing keys, JWKS) is read.</summary>
    public string Authority => Instance.TrimEnd('/') + "/" + TenantId + "/v2.0";

    /// <summary>
    /// The issuers a token may have: the tenant's v2.0 issuer, and the v1.0 one ("https://sts.windows.net/{tenant}/"),
    /// which an app registration whose manifest leaves accessTokenAcceptedVersion unset gets.
    /// </summary>
    public IReadOnlyList<string> ValidIssuers => new[] { Authority, "https://sts.windows.net/" + TenantId + "/" };

    /// <summary>The audiences a token may have: the application id, and the Application ID URI when one is set.</summary>
    public IReadOnlyList<string> ValidAudiences => string.IsNullOrWhiteSpace(ApplicationIdUri)
        ? new[] { ApplicationId }
        : new[] { ApplicationId, ApplicationIdUri };
}
