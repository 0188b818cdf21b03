using System.Collections.Concurrent;
using EmergencySolution.CallbackRouter.Routing;

namespace EmergencySolution.CallbackRouter.Webhook;

/// <summary>
/// The calls of accepted deliveries while they are being routed. The webhook answers a delivery as soon as it is
/// accepted, before any lookup: an answer given after routing would tell the caller, by its status or its timing,
/// whether the called number has a live lease. Routing then runs here, and a stopping host waits for it (up to its
/// shutdown timeout), so no accepted call is dropped by a restart.
/// </summary>
public sealed class AcceptedCalls : IHostedService
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CallbackRoutingService _routing;
    private readonly ILogger<AcceptedCalls> _logger;

    public AcceptedCalls(CallbackRoutingService routing, ILogger<AcceptedCalls> logger)
    {
        _routing = routing;
        _logger = logger;
    }

    /// <summary>Routes the calls side by side (none waits on another's lookup) without holding up the caller.</summary>
    public void Route(IReadOnlyList<IncomingCall> calls)
    {
        var received = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var call in calls)
        {
            var work = Task.Run(() => RouteAsync(call, received));
            _running.TryAdd(work, 0);
            work.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Completes when every call accepted so far has been routed (the tests and the load run wait on it).</summary>
    public async Task WhenIdleAsync()
    {
        while (!_running.IsEmpty)
        {
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout has passed; what is still running ends with the process.
        }
    }

    private async Task RouteAsync(IncomingCall call, long received)
    {
        try
        {
            await _routing.RouteAsync(call, received).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // RouteAsync handles every failure it knows; this is the last line, and messages can echo input.
            RouterLog.RoutingCrashed(_logger, exception.GetType().FullName ?? "exception");
        }
    }
}
