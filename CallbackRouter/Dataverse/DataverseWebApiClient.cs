using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmergencySolution.CallbackRouter.Reliability;
using Polly;

namespace EmergencySolution.CallbackRouter.Dataverse;

/// <summary>
/// The two Dataverse Web API requests the router makes, each retried by <see cref="TransientHttpRetry"/>:
/// <list type="bullet">
/// <item><c>POST [org]/api/data/v9.2/emc_ResolveEmergencyCallback</c> with CalledNumber and CallerNumber in the JSON
/// body (an unbound action, so phone numbers travel in the body and never in a URL that proxies and logs keep);</item>
/// <item><c>GET [org]/api/data/v9.2/systemusers(id)?$select=azureactivedirectoryobjectid</c> for the agent's Teams identity.</item>
/// </list>
/// A 401 renews the token once (it may have been revoked early); any other failure ends as
/// <see cref="DataverseUnavailableException"/>, whose message holds the status and Dataverse's error code only.
/// </summary>
public sealed class DataverseWebApiClient
{
    public const string ClientName = "dataverse";
    public const string ResolveMessage = "emc_ResolveEmergencyCallback";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly DataverseTokenSource _tokens;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    public DataverseWebApiClient(IHttpClientFactory httpClientFactory, DataverseTokenSource tokens, ResiliencePipeline<HttpResponseMessage> retry)
    {
        _httpClientFactory = httpClientFactory;
        _tokens = tokens;
        _retry = retry;
    }

    public async Task<CallbackLease> ResolveCallbackAsync(string calledNumber, string? callerNumber, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["CalledNumber"] = calledNumber };
        if (!string.IsNullOrEmpty(callerNumber))
        {
            body["CallerNumber"] = callerNumber;
        }

        var payload = body.ToJsonString();
        using var document = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, ResolveMessage) { Content = new StringContent(payload, Encoding.UTF8, "application/json") },
            ResolveMessage, cancellationToken).ConfigureAwait(false);
        return ParseResolveResponse(document.RootElement);
    }

    /// <summary>The agent's Microsoft Entra object id, or null when the user has none (a non-interactive or unsynchronized user).</summary>
    public async Task<Guid?> GetEntraObjectIdAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var path = "systemusers(" + agentId.ToString("D") + ")?$select=azureactivedirectoryobjectid";
        using var document = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), "systemusers", cancellationToken).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("azureactivedirectoryobjectid", out var value) && value.ValueKind == JsonValueKind.String
            && Guid.TryParse(value.GetString(), out var objectId) ? objectId : null;
    }

    internal static CallbackLease ParseResolveResponse(JsonElement root)
    {
        if (!root.TryGetProperty("Matched", out var matched) || matched.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new DataverseUnavailableException(ResolveMessage + " answered without a Matched value; is the solution's version the one this router expects?");
        }

        if (!matched.GetBoolean())
        {
            return CallbackLease.NotMatched;
        }

        try
        {
            return new CallbackLease(
                true,
                root.GetProperty("AgentId").GetGuid(),
                root.GetProperty("EmergencyCallId").GetGuid(),
                root.TryGetProperty("Priority", out var priority) && priority.ValueKind == JsonValueKind.Number ? priority.GetInt32() : 0,
                !root.TryGetProperty("BypassRouting", out var bypass) || bypass.ValueKind != JsonValueKind.False,
                root.GetProperty("ExpiresOn").GetDateTimeOffset());
        }
        catch (Exception exception) when (exception is KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new DataverseUnavailableException(ResolveMessage + " answered Matched without a well-formed AgentId, EmergencyCallId or ExpiresOn.", exception);
        }
    }

    private async Task<JsonDocument> SendAsync(Func<HttpRequestMessage> createRequest, string operation, CancellationToken cancellationToken)
    {
        var client = _httpClientFactory.CreateClient(ClientName);
        HttpResponseMessage? response = null;
        try
        {
            var token = await _tokens.GetTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
            response = await SendWithRetriesAsync(client, createRequest, token, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                response.Dispose();
                token = await _tokens.GetTokenAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false);
                response = await SendWithRetriesAsync(client, createRequest, token, cancellationToken).ConfigureAwait(false);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DataverseUnavailableException(operation + " failed with HTTP " + (int)response.StatusCode + await ErrorCodeAsync(response, cancellationToken).ConfigureAwait(false) + ".");
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or Microsoft.Identity.Client.MsalException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DataverseUnavailableException(operation + " failed: " + exception.GetType().Name + ".", exception);
        }
        finally
        {
            response?.Dispose();
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpClient client, Func<HttpRequestMessage> createRequest, string token, CancellationToken cancellationToken)
    {
        return await _retry.ExecuteAsync(async ct =>
        {
            using var request = createRequest();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await client.SendAsync(request, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            return document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code)
                ? " (Dataverse error " + code.ToString() + ")"
                : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}
