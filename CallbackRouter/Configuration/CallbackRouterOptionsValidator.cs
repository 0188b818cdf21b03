using EmergencySolution.CallbackRouter.Dataverse;
using EmergencySolution.CallbackRouter.Routing;
using EmergencySolution.Privacy;
using Microsoft.Extensions.Options;

namespace EmergencySolution.CallbackRouter.Configuration;

/// <summary>
/// Checked at start-up (ValidateOnStart): a router that would fail on its first emergency callback must not
/// start at all. Every message names the setting and the bad value; secrets and phone numbers are described,
/// never echoed.
/// </summary>
public sealed class CallbackRouterOptionsValidator : IValidateOptions<CallbackRouterOptions>
{
    /// <summary>Shorter secrets can be guessed; 32 characters is what `openssl rand -base64 24` prints.</summary>
    public const int MinSharedSecretLength = 32;

    /// <summary>Event Grid's own limit for one delivery property's value.</summary>
    public const int MaxSharedSecretLength = 4096;

    /// <summary>Event Grid's own limit for "Max events per batch".</summary>
    public const int MaxEventsPerDeliveryLimit = 5000;

    private const string Section = CallbackRouterOptions.SectionName;

    private readonly IHostEnvironment _environment;

    public CallbackRouterOptionsValidator(IHostEnvironment environment)
    {
        _environment = environment;
    }

    public ValidateOptionsResult Validate(string? name, CallbackRouterOptions options)
    {
        var failures = new List<string>();
        ValidateDataverse(failures, options.Dataverse);
        ValidateAcs(failures, options.Acs);
        ValidateRouting(failures, options.Routing);
        ValidateWebhook(failures, options.Webhook);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateDataverse(List<string> failures, DataverseOptions dataverse)
    {
        RequireHttpsUrl(failures, $"{Section}:Dataverse:Url", dataverse.Url);
        RequireHttpsUrl(failures, $"{Section}:Dataverse:AuthorityHost", dataverse.AuthorityHost);
        RequireText(failures, $"{Section}:Dataverse:TenantId", dataverse.TenantId);
        RequireText(failures, $"{Section}:Dataverse:ClientId", dataverse.ClientId);
        ValidateCredential(failures, dataverse);
    }

    private static void ValidateAcs(List<string> failures, AcsOptions acs)
    {
        RequireHttpsUrl(failures, $"{Section}:Acs:Endpoint", acs.Endpoint);
        RequireSecret(failures, $"{Section}:Acs:AccessKey", acs.AccessKey);
        if (acs.AccessKey.Length > 0 && !IsBase64(acs.AccessKey))
        {
            failures.Add($"{Section}:Acs:AccessKey is not base64; copy the resource's access key exactly as the portal shows it.");
        }

        RequireText(failures, $"{Section}:Acs:ApiVersion", acs.ApiVersion);
    }

    private static void ValidateRouting(List<string> failures, RoutingOptions routing)
    {
        if (CommunicationTarget.TryParse(routing.FallbackTarget, out var fallbackProblem) is null)
        {
            failures.Add($"{Section}:Routing:FallbackTarget {Quote(routing.FallbackTarget)} is not usable: {fallbackProblem}. " +
                "Set it to the supervisor's or security desk's identity; it takes a callback whenever the agent cannot be found in time.");
        }

        for (var index = 0; index < routing.PoolNumbers.Count; index++)
        {
            var number = routing.PoolNumbers[index];
            if (PhoneNumberPrivacy.ToE164(number) is not { Length: >= 2 and <= 16 })
            {
                failures.Add($"{Section}:Routing:PoolNumbers:{index} ({PhoneNumberPrivacy.Describe(number)}) is not an E.164 number.");
            }
        }

        ValidateAgentTargets(failures, routing);
        ValidateTimings(failures, routing);
    }

    private static void ValidateAgentTargets(List<string> failures, RoutingOptions routing)
    {
        if (routing.AgentTarget == AgentTargetKind.Configured && routing.AgentTargets.Count == 0)
        {
            failures.Add($"{Section}:Routing:AgentTargets is empty while {Section}:Routing:AgentTarget is Configured; add one entry per agent (systemuser id → raw ACS identifier).");
        }

        if (routing.TeamsCloud is not ("public" or "gcch" or "dod"))
        {
            failures.Add($"{Section}:Routing:TeamsCloud '{routing.TeamsCloud}' is not one of public, gcch, dod.");
        }

        foreach (var (agentId, raw) in routing.AgentTargets)
        {
            if (!Guid.TryParse(agentId, out _))
            {
                failures.Add($"{Section}:Routing:AgentTargets key '{agentId}' is not a systemuser id (a GUID).");
            }

            if (CommunicationTarget.TryParse(raw, out var problem) is null)
            {
                failures.Add($"{Section}:Routing:AgentTargets:{agentId} {Quote(raw)} is not usable: {problem}.");
            }
        }
    }

    private static void ValidateTimings(List<string> failures, RoutingOptions routing)
    {
        RequirePositive(failures, $"{Section}:Routing:LookupDeadline", routing.LookupDeadline);
        RequirePositive(failures, $"{Section}:Routing:RedirectTimeout", routing.RedirectTimeout);
        RequirePositive(failures, $"{Section}:Routing:IdempotencyWindow", routing.IdempotencyWindow);
        if (routing.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add($"{Section}:Routing:RetryBaseDelay '{routing.RetryBaseDelay}' is negative.");
        }

        if (routing.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{Section}:Routing:MaxRetries '{routing.MaxRetries}' is outside 0–10.");
        }
    }

    private void ValidateWebhook(List<string> failures, WebhookOptions webhook)
    {
        if (!webhook.HasAuthentication && _environment.IsProduction())
        {
            failures.Add($"{Section}:Webhook has no authentication, and this is Production: anyone who can reach the webhook could post deliveries. " +
                $"Set {Section}:Webhook:EntraId:TenantId and :ApplicationId (Microsoft Entra ID-protected delivery), or {Section}:Webhook:SharedSecret " +
                $"(sent by the Event Grid subscription in the {webhook.SharedSecretHeader} delivery header), or both.");
        }

        ValidateSecret(failures, $"{Section}:Webhook:SharedSecret", webhook.SharedSecret);
        ValidateSecret(failures, $"{Section}:Webhook:NextSharedSecret", webhook.NextSharedSecret);
        if (webhook.NextSharedSecret.Length > 0 && !webhook.HasSharedSecret)
        {
            failures.Add($"{Section}:Webhook:NextSharedSecret is set but {Section}:Webhook:SharedSecret is empty; put the secret in SharedSecret (NextSharedSecret is for rotation only).");
        }

        if (!IsHeaderName(webhook.SharedSecretHeader))
        {
            failures.Add($"{Section}:Webhook:SharedSecretHeader '{webhook.SharedSecretHeader}' is not an HTTP header name (letters, digits and -).");
        }
        else if (webhook.SharedSecretHeader.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && webhook.EntraId.IsConfigured)
        {
            failures.Add($"{Section}:Webhook:SharedSecretHeader is Authorization, which Microsoft Entra ID-protected delivery uses for its bearer token; pick another name.");
        }

        if (webhook.MaxEventsPerDelivery is < 1 or > MaxEventsPerDeliveryLimit)
        {
            failures.Add($"{Section}:Webhook:MaxEventsPerDelivery '{webhook.MaxEventsPerDelivery}' is outside 1–{MaxEventsPerDeliveryLimit}.");
        }

        if (webhook.EntraId.IsConfigured)
        {
            ValidateEntraId(failures, webhook.EntraId);
        }
    }

    private static void ValidateEntraId(List<string> failures, EntraIdWebhookOptions entra)
    {
        if (!Guid.TryParse(entra.TenantId, out _))
        {
            failures.Add($"{Section}:Webhook:EntraId:TenantId '{entra.TenantId}' is not a tenant id (a GUID); tokens are checked against the tenant's issuer, which holds its id.");
        }

        if (!Guid.TryParse(entra.ApplicationId, out _))
        {
            failures.Add($"{Section}:Webhook:EntraId:ApplicationId '{entra.ApplicationId}' is not an application (client) id (a GUID).");
        }

        if (entra.ApplicationIdUri.Length > 0 && !Uri.TryCreate(entra.ApplicationIdUri, UriKind.Absolute, out _))
        {
            failures.Add($"{Section}:Webhook:EntraId:ApplicationIdUri '{entra.ApplicationIdUri}' is not an absolute URI (api://…).");
        }

        RequireHttpsUrl(failures, $"{Section}:Webhook:EntraId:Instance", entra.Instance);
        for (var index = 0; index < entra.AllowedClientApplicationIds.Count; index++)
        {
            if (!Guid.TryParse(entra.AllowedClientApplicationIds[index], out _))
            {
                failures.Add($"{Section}:Webhook:EntraId:AllowedClientApplicationIds:{index} '{entra.AllowedClientApplicationIds[index]}' is not an application id (a GUID).");
            }
        }
    }

    private static void ValidateSecret(List<string> failures, string setting, string secret)
    {
        if (secret.Length == 0)
        {
            return;
        }

        if (secret.Length is < MinSharedSecretLength or > MaxSharedSecretLength)
        {
            failures.Add($"{setting} is {secret.Length} characters long; use {MinSharedSecretLength} to {MaxSharedSecretLength} random characters (for example `openssl rand -base64 32`).");
        }
        else if (secret.Any(c => c is < '!' or > '~'))
        {
            failures.Add($"{setting} holds characters that are not printable ASCII; an HTTP header value cannot carry them reliably.");
        }
    }

    private static bool IsHeaderName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static void ValidateCredential(List<string> failures, DataverseOptions dataverse)
    {
        var hasSecret = !string.IsNullOrWhiteSpace(dataverse.ClientSecret);
        var hasCertificate = !string.IsNullOrWhiteSpace(dataverse.ClientCertificatePath);
        if (hasSecret && hasCertificate)
        {
            failures.Add($"{Section}:Dataverse:ClientSecret and {Section}:Dataverse:ClientCertificatePath are both set; keep the one the app registration uses.");
            return;
        }

        if (!hasCertificate)
        {
            RequireSecret(failures, $"{Section}:Dataverse:ClientSecret", dataverse.ClientSecret);
            return;
        }

        if (!File.Exists(dataverse.ClientCertificatePath))
        {
            failures.Add($"{Section}:Dataverse:ClientCertificatePath '{dataverse.ClientCertificatePath}' does not exist.");
            return;
        }

        try
        {
            using var certificate = DataverseCertificate.Load(dataverse);
            if (!certificate.HasPrivateKey)
            {
                failures.Add($"{Section}:Dataverse:ClientCertificatePath '{dataverse.ClientCertificatePath}' holds no private key; export the certificate with its key (PFX).");
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            failures.Add($"{Section}:Dataverse:ClientCertificatePath '{dataverse.ClientCertificatePath}' cannot be read as a PFX file with the given {Section}:Dataverse:ClientCertificatePassword.");
        }
    }

    private static void RequireText(List<string> failures, string setting, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting} is empty.");
        }
    }

    private static void RequireSecret(List<string> failures, string setting, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting} is empty; set it from the environment (" + setting.Replace(":", "__", StringComparison.Ordinal) + ") or a secret store.");
        }
    }

    private static void RequireHttpsUrl(List<string> failures, string setting, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !IsLoopbackHttp(uri)))
        {
            failures.Add($"{setting} '{value}' is not an absolute https URL.");
        }
    }

    private static void RequirePositive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{setting} '{value}' must be longer than zero.");
        }
    }

    // Plain http is accepted for 127.0.0.1/localhost only: the tests' and the load run's local fakes.
    private static bool IsLoopbackHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written > 0;
    }

    private static string Quote(string? value) =>
        PhoneNumberPrivacy.CountDigits(value) >= 3 && (value?.TrimStart().StartsWith('+') == true || value?.StartsWith("4:", StringComparison.Ordinal) == true)
            ? "(" + PhoneNumberPrivacy.Describe(value) + ")"
            : "'" + value + "'";
}
