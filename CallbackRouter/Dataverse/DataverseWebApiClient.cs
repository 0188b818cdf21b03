using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmergencySolution.CallbackRouter.Reliability;
using Polly;

namespace EmergencySolution.CallbackRouter.Dataverse;

/// <summary>
/// The one Dataverse Web API request the router makes, retried by <see cref="TransientHttpRetry"/>:
/// <c>POST [org]/api/data/v9.2/emc_ResolveEmergencyCallback</c> with CalledNumber and CallerNumber in the JSON body
/// (an unbound action, so phone numbers travel in the body and never in a URL that proxies and logs keep). Its answer
/// carries the agent's Entra object id too, so finding the agent costs this one request.
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
                root.GetProperty("ExpiresOn").GetDateTimeOffset(),
                root.TryGetProperty("AgentEntraObjectId", out var objectId) && objectId.ValueKind == JsonValueKind.String ? objectId.GetGuid() : null);
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
