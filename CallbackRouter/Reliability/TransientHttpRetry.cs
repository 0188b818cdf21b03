using System.Net;
using EmergencySolution.CallbackRouter.Configuration;
using Polly;
using Polly.Retry;

namespace EmergencySolution.CallbackRouter.Reliability;

/// <summary>
/// The one retry policy of the router, for Dataverse and ACS alike: a bounded number of retries with exponential,
/// jittered back-off (so a fleet of routers does not retry in step), on network failures and the statuses that
/// mean "try again" (408, 429, 500, 502, 503, 504). A Retry-After header is honoured. The caller's cancellation
/// token carries the hard deadline, so retries never outlive it.
/// </summary>
public static class TransientHttpRetry
{
    public static ResiliencePipeline<HttpResponseMessage> Create(RoutingOptions options, Action<string>? onRetry = null)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries <= 0)
        {
            return builder.Build();
        }

        return builder
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(2),
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.Outcome.Exception?.GetType().Name ?? ((int?)args.Outcome.Result?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
                    return default;
                },
            })
            .Build();
    }

    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
        {
            return false;
        }

        return outcome.Exception switch
        {
            HttpRequestException => true,
            // HttpClient's own timeout surfaces as a TaskCanceledException while the deadline has not passed.
            TaskCanceledException => true,
            null => outcome.Result is { } response && IsTransientStatus(response.StatusCode),
            _ => false,
        };
    }

    // Null lets the strategy use its own jittered back-off.
    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
