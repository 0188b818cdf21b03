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
    private const string Section = CallbackRouterOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, CallbackRouterOptions options)
    {
        var failures = new List<string>();

        RequireHttpsUrl(failures, $"{Section}:Dataverse:Url", options.Dataverse.Url);
        RequireHttpsUrl(failures, $"{Section}:Dataverse:AuthorityHost", options.Dataverse.AuthorityHost);
        RequireText(failures, $"{Section}:Dataverse:TenantId", options.Dataverse.TenantId);
        RequireText(failures, $"{Section}:Dataverse:ClientId", options.Dataverse.ClientId);
        ValidateCredential(failures, options.Dataverse);

        RequireHttpsUrl(failures, $"{Section}:Acs:Endpoint", options.Acs.Endpoint);
        RequireSecret(failures, $"{Section}:Acs:AccessKey", options.Acs.AccessKey);
        if (options.Acs.AccessKey.Length > 0 && !IsBase64(options.Acs.AccessKey))
        {
            failures.Add($"{Section}:Acs:AccessKey is not base64; copy the resource's access key exactly as the portal shows it.");
        }

        RequireText(failures, $"{Section}:Acs:ApiVersion", options.Acs.ApiVersion);

        var routing = options.Routing;
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

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
