namespace EmergencySolution.CallbackRouter.Configuration;

/// <summary>
/// Everything the router is told, bound from the "CallbackRouter" section: appsettings.json for the defaults,
/// environment variables (CallbackRouter__Dataverse__ClientSecret, ...) or a secret store for the rest. The
/// repository holds no secret; see README, "The callback router".
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

public sealed class WebhookOptions
{
    /// <summary>
    /// When set, every delivery must carry it as the "code" query parameter (put it in the Event Grid subscription's
    /// endpoint URL). Requests without it get 401 and nothing else happens.
    /// </summary>
    public string SharedSecret { get; set; } = string.Empty;
}
