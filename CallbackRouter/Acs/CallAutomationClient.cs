using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Routing;
using Microsoft.Extensions.Options;
using Polly;

namespace EmergencySolution.CallbackRouter.Acs;

/// <summary>
/// The Call Automation REST call the router needs, spoken directly because Azure.Communication.CallAutomation is
/// not available to this project: <c>POST {endpoint}/calling/callConnections:redirect?api-version=…</c> with
/// <c>{"incomingCallContext": …, "target": CommunicationIdentifierModel}</c>, answered 204. Requests are signed by
/// <see cref="AcsSigningHandler"/> and retried by the shared retry pipeline. The Repeatability-Request-ID is derived
/// from the call's correlationId and the target, so a retried or redelivered redirect is the same request to ACS.
/// </summary>
public sealed class CallAutomationClient
{
    public const string ClientName = "acs";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly TimeProvider _clock;
    private readonly string _apiVersion;

    public CallAutomationClient(IHttpClientFactory httpClientFactory, ResiliencePipeline<HttpResponseMessage> retry, TimeProvider clock, IOptions<CallbackRouterOptions> options)
    {
        _httpClientFactory = httpClientFactory;
        _retry = retry;
        _clock = clock;
        _apiVersion = options.Value.Acs.ApiVersion;
    }

    public async Task RedirectAsync(string incomingCallContext, CommunicationTarget target, string correlationId, CancellationToken cancellationToken)
    {
        var client = _httpClientFactory.CreateClient(ClientName);
        var payload = new JsonObject
        {
            ["incomingCallContext"] = incomingCallContext,
            ["target"] = target.ToJson(),
        }.ToJsonString();
        var repeatabilityId = RepeatabilityRequestId(correlationId, target.RawId).ToString("D");
        var firstSent = _clock.GetUtcNow().UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        var path = "calling/callConnections:redirect?api-version=" + Uri.EscapeDataString(_apiVersion);

        HttpResponseMessage response;
        try
        {
            response = await _retry.ExecuteAsync(async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("Repeatability-Request-ID", repeatabilityId);
                request.Headers.TryAddWithoutValidation("Repeatability-First-Sent", firstSent);
                return await client.SendAsync(request, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AcsRedirectFailedException("the redirect request failed: " + exception.GetType().Name, exception);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new AcsRedirectFailedException("ACS answered HTTP " + (int)response.StatusCode);
            }
        }
    }

    /// <summary>A name-based (version 5 style) UUID of correlationId and target: the same redirect always carries the same id.</summary>
    public static Guid RepeatabilityRequestId(string correlationId, string targetRawId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("emc-callback-redirect\n" + correlationId + "\n" + targetRawId));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

public sealed class AcsRedirectFailedException : Exception
{
    public AcsRedirectFailedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
