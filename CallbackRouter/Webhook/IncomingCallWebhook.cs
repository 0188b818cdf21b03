using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Routing;
using Microsoft.Extensions.Options;

namespace EmergencySolution.CallbackRouter.Webhook;

/// <summary>
/// POST /api/incoming-call, the Event Grid webhook. Answers:
/// <list type="bullet">
/// <item>401 without the shared secret (when one is configured);</item>
/// <item>413 for a body over 1 MB (Event Grid's own limit for a delivery);</item>
/// <item>400 for a malformed delivery, and nothing else happens;</item>
/// <item>200 with {"validationResponse": code} for the subscription validation handshake;</item>
/// <item>200 with each call's outcome, once every call of the delivery is redirected or ignored;</item>
/// <item>503 when a call could reach neither the agent nor the fallback, so Event Grid delivers it again.</item>
/// </list>
/// OPTIONS answers the CloudEvents webhook handshake (WebHook-Request-Origin → WebHook-Allowed-Origin).
/// </summary>
public sealed class IncomingCallWebhook
{
    public const string Path = "/api/incoming-call";
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly CallbackRoutingService _routing;
    private readonly ILogger<IncomingCallWebhook> _logger;
    private readonly byte[]? _sharedSecret;

    public IncomingCallWebhook(CallbackRoutingService routing, ILogger<IncomingCallWebhook> logger, IOptions<CallbackRouterOptions> options)
    {
        _routing = routing;
        _logger = logger;
        var secret = options.Value.Webhook.SharedSecret;
        _sharedSecret = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);
    }

    public async Task<IResult> HandlePostAsync(HttpContext http)
    {
        if (!IsAuthorized(http))
        {
            RouterLog.Unauthorized(_logger);
            return Results.Unauthorized();
        }

        var body = await ReadBodyAsync(http.Request).ConfigureAwait(false);
        if (body is null)
        {
            RouterLog.MalformedDelivery(_logger, "the body is over " + MaxBodyBytes + " bytes");
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        EventGridDelivery delivery;
        try
        {
            delivery = EventGridDelivery.Parse(body);
        }
        catch (MalformedDeliveryException exception)
        {
            RouterLog.MalformedDelivery(_logger, exception.Message);
            return Results.Problem(title: "Malformed Event Grid delivery", detail: exception.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        if (delivery.ValidationCode is not null)
        {
            RouterLog.ValidationHandshake(_logger);
            return Results.Json(new JsonObject { ["validationResponse"] = delivery.ValidationCode });
        }

        // Calls of one delivery are independent: route them side by side, so none waits on another's lookup.
        var results = await Task.WhenAll(delivery.Calls.Select(_routing.RouteAsync)).ConfigureAwait(false);
        var outcomes = new JsonArray(results.Select(r => (JsonNode)new JsonObject
        {
            ["correlationId"] = r.CorrelationId,
            ["outcome"] = r.Outcome.ToString(),
            ["reason"] = r.Reason.ToString(),
        }).ToArray());
        var status = results.Any(r => r.Outcome == RoutingOutcome.Failed) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return Results.Json(new JsonObject { ["calls"] = outcomes, ["skippedEvents"] = delivery.SkippedEvents }, statusCode: status);
    }

    public IResult HandleOptions(HttpContext http)
    {
        if (!IsAuthorized(http))
        {
            return Results.Unauthorized();
        }

        var origin = http.Request.Headers["WebHook-Request-Origin"].ToString();
        if (origin.Length == 0)
        {
            return Results.BadRequest();
        }

        http.Response.Headers["WebHook-Allowed-Origin"] = origin;
        http.Response.Headers.Allow = "POST, OPTIONS";
        return Results.Ok();
    }

    private bool IsAuthorized(HttpContext http)
    {
        if (_sharedSecret is null)
        {
            return true;
        }

        var presented = Encoding.UTF8.GetBytes(http.Request.Query["code"].ToString());
        return CryptographicOperations.FixedTimeEquals(presented, _sharedSecret);
    }

    private static async Task<BinaryData?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return BinaryData.FromBytes(buffer.ToArray());
    }
}
