using System.Text.Json.Nodes;
using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Routing;
using Microsoft.Extensions.Options;

namespace EmergencySolution.CallbackRouter.Webhook;

/// <summary>
/// POST /api/incoming-call, the Event Grid webhook. Answers, in this order:
/// <list type="bullet">
/// <item>400 for any query string (<see cref="RefuseQueryString"/>, ahead of authentication): the webhook takes
/// none, and a secret there would be kept in request logs;</item>
/// <item>401 without valid authentication, 403 for an Entra ID token without the subscriber role
/// (<see cref="WebhookAuthentication"/>; before this handler runs);</item>
/// <item>413 for a body over 1 MB (Event Grid's own limit for a delivery) or more events than
/// <see cref="WebhookOptions.MaxEventsPerDelivery"/>;</item>
/// <item>400 for a malformed delivery, and nothing else happens;</item>
/// <item>200 with {"validationResponse": code} for the subscription validation handshake;</item>
/// <item>200 with {"accepted": n, "skippedEvents": m} as soon as the delivery is accepted, whatever becomes of its
/// calls: the answer, its status and its timing are the same for a leased and an unleased number
/// (<see cref="AcceptedCalls"/> routes the calls afterwards; outcomes go to the log and the metrics).</item>
/// </list>
/// OPTIONS answers the CloudEvents webhook handshake (WebHook-Request-Origin → WebHook-Allowed-Origin) without
/// authentication: it reveals nothing, and whether Event Grid authenticates that request is not documented.
/// </summary>
public sealed class IncomingCallWebhook
{
    public const string Path = "/api/incoming-call";
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>DNS names are at most 253 characters; an origin longer than that is not one.</summary>
    public const int MaxOriginLength = 253;

    private readonly AcceptedCalls _acceptedCalls;
    private readonly ILogger<IncomingCallWebhook> _logger;
    private readonly WebhookOptions _webhook;

    public IncomingCallWebhook(AcceptedCalls acceptedCalls, ILogger<IncomingCallWebhook> logger, IOptions<CallbackRouterOptions> options)
    {
        _acceptedCalls = acceptedCalls;
        _logger = logger;
        _webhook = options.Value.Webhook;
    }

    public async Task<IResult> HandlePostAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http.Request).ConfigureAwait(false);
        if (body is null)
        {
            RouterLog.MalformedDelivery(_logger, "the body is over " + MaxBodyBytes + " bytes");
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        EventGridDelivery delivery;
        try
        {
            delivery = EventGridDelivery.Parse(body, _webhook.MaxEventsPerDelivery);
        }
        catch (DeliveryTooLargeException exception)
        {
            RouterLog.MalformedDelivery(_logger, exception.Message);
            return Results.Problem(title: "Too many events in one delivery", detail: exception.Message, statusCode: StatusCodes.Status413PayloadTooLarge);
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

        _acceptedCalls.Route(delivery.Calls);
        return Results.Json(new JsonObject { ["accepted"] = delivery.Calls.Count, ["skippedEvents"] = delivery.SkippedEvents });
    }

    public IResult HandleOptions(HttpContext http)
    {
        var origin = http.Request.Headers["WebHook-Request-Origin"].ToString();
        if (origin.Length is 0 or > MaxOriginLength)
        {
            return Results.BadRequest();
        }

        http.Response.Headers["WebHook-Allowed-Origin"] = origin;
        http.Response.Headers.Allow = "POST, OPTIONS";
        return Results.Ok();
    }

    /// <summary>
    /// Middleware on the webhook's path, ahead of authentication: any query string is refused, so a secret put in
    /// the subscription's URL (the way Event Grid's older guidance shows) fails loudly instead of being accepted.
    /// </summary>
    public static async Task RefuseQueryString(HttpContext http, RequestDelegate next)
    {
        if (!http.Request.QueryString.HasValue)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        RouterLog.Unauthorized(WebhookAuthentication.Logger(http), "it has a query string; a secret belongs in a delivery header, never in the URL");
        await Results.Problem(title: "The webhook takes no query string",
            detail: "Remove the query string from the Event Grid subscription's endpoint. To authenticate with a shared secret, send it in a delivery header (see the router's configuration).",
            statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http).ConfigureAwait(false);
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
