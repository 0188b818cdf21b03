using System.Collections.Concurrent;
using EmergencySolution.CallbackRouter.Configuration;
using Microsoft.Extensions.Options;

namespace EmergencySolution.CallbackRouter.Routing;

/// <summary>
/// Idempotency per correlationId. Event Grid delivers at least once and retries deliveries it thinks failed, so the
/// same IncomingCall can arrive twice, even at the same moment. The first arrival owns the call; later ones are
/// duplicates while it runs and for <see cref="RoutingOptions.IdempotencyWindow"/> after it succeeded. A call that
/// failed is forgotten, so a later delivery of the same event (Event Grid delivers at least once) may try again.
/// </summary>
/// <remarks>
/// Per process. Several router instances behind one subscription share nothing here; for them the redirect's
/// Repeatability-Request-ID (derived from the correlationId) lets ACS recognise the repeat.
/// </remarks>
public sealed class IncomingCallLedger
{
    private const int SweepEvery = 256;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly TimeSpan _window;
    private int _arrivals;

    public IncomingCallLedger(TimeProvider clock, IOptions<CallbackRouterOptions> options)
    {
        _clock = clock;
        _window = options.Value.Routing.IdempotencyWindow;
    }

    public int Count => _expiries.Count;

    /// <summary>True when the caller owns the call; false for a duplicate.</summary>
    public bool TryBegin(string correlationId)
    {
        var now = _clock.GetUtcNow();
        if (Interlocked.Increment(ref _arrivals) % SweepEvery == 0)
        {
            Sweep(now);
        }

        var expiry = now + _window;
        while (true)
        {
            if (_expiries.TryAdd(correlationId, expiry))
            {
                return true;
            }

            if (!_expiries.TryGetValue(correlationId, out var existing))
            {
                continue;
            }

            if (existing > now)
            {
                return false;
            }

            if (_expiries.TryUpdate(correlationId, expiry, existing))
            {
                return true;
            }
        }
    }

    public void Complete(string correlationId) => _expiries[correlationId] = _clock.GetUtcNow() + _window;

    public void Forget(string correlationId) => _expiries.TryRemove(correlationId, out _);

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, expiry) in _expiries)
        {
            if (expiry <= now)
            {
                _expiries.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, expiry));
            }
        }
    }
}
