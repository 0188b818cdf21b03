using System.Security.Cryptography.X509Certificates;
using EmergencySolution.CallbackRouter.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace EmergencySolution.CallbackRouter.Dataverse;

/// <summary>
/// OAuth access tokens for the Dataverse Web API, by the client-credentials flow of the application user's app
/// registration, with its client secret or its certificate (Microsoft.Identity.Client). MSAL keeps the token in its in-memory app cache and renews it before it
/// expires, so only the first lookup after start (and one an hour after) pays the sign-in round trip.
/// </summary>
public sealed class DataverseTokenSource
{
    private readonly IConfidentialClientApplication _application;
    private readonly string[] _scopes;

    public DataverseTokenSource(IOptions<CallbackRouterOptions> options, IMsalHttpClientFactory httpClientFactory)
    {
        var dataverse = options.Value.Dataverse;
        _scopes = new[] { dataverse.Url.TrimEnd('/') + "/.default" };
        var builder = ConfidentialClientApplicationBuilder.Create(dataverse.ClientId)
            .WithAuthority(dataverse.AuthorityHost.TrimEnd('/') + "/" + dataverse.TenantId)
            .WithHttpClientFactory(httpClientFactory);
        _application = string.IsNullOrWhiteSpace(dataverse.ClientCertificatePath)
            ? builder.WithClientSecret(dataverse.ClientSecret).Build()
            : builder.WithCertificate(DataverseCertificate.Load(dataverse)).Build();
    }

    public async Task<string> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var result = await _application.AcquireTokenForClient(_scopes)
            .WithForceRefresh(forceRefresh)
            .ExecuteAsync(cancellationToken)
            .ConfigureAwait(false);
        return result.AccessToken;
    }
}

/// <summary>The app registration's certificate, from the PFX file the options name.</summary>
public static class DataverseCertificate
{
    public static X509Certificate2 Load(DataverseOptions dataverse) =>
        X509CertificateLoader.LoadPkcs12FromFile(dataverse.ClientCertificatePath,
            string.IsNullOrEmpty(dataverse.ClientCertificatePassword) ? null : dataverse.ClientCertificatePassword);
}

/// <summary>Gives MSAL the router's "entra" HttpClient, so sign-in traffic goes through IHttpClientFactory like the rest.</summary>
public sealed class EntraHttpClientFactory : IMsalHttpClientFactory
{
    public const string ClientName = "entra";

    private readonly IHttpClientFactory _factory;

    public EntraHttpClientFactory(IHttpClientFactory factory)
    {
        _factory = factory;
    }

    public HttpClient GetHttpClient() => _factory.CreateClient(ClientName);
}
