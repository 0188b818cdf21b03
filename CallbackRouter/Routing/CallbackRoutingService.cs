using System.Diagnostics;
using EmergencySolution.CallbackRouter.Acs;
using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Dataverse;
using Microsoft.Extensions.Options;

namespace EmergencySolution.CallbackRouter.Routing;

/// <summary>
/// Decides where one incoming call goes and sends it there.
/// <list type="number">
/// <item>Not a phone number, or not a pool number: ignored, so the normal routing takes it. No request is made.</item>
/// <item>A duplicate correlationId: ignored.</item>
/// <item>Within <see cref="RoutingOptions.LookupDeadline"/>: emc_ResolveEmergencyCallback, which answers the lease and the agent's identity.
/// No live lease: ignored. A live lease: redirected to the agent.</item>
/// <item>Dataverse failing, the deadline passing, or an agent without an identity: redirected to the fallback target.
/// A failed redirect to the agent also falls back. A responder's callback to a pool number never rings nowhere.</item>
/// </list>
/// The caller's HTTP request does not cancel this work: once a call is ours, it is finished even if Event Grid hangs up.
/// </summary>
public sealed class CallbackRoutingService
{
    private readonly DataverseWebApiClient _dataverse;
    private readonly AgentTargetResolver _agentTargets;
    private readonly CallAutomationClient _callAutomation;
    private readonly IncomingCallLedger _ledger;
    private readonly RouterMetrics _metrics;
    private readonly ILogger<CallbackRoutingService> _logger;
    private readonly TimeProvider _clock;
    private readonly RoutingOptions _routing;
    private readonly HashSet<string> _poolNumbers;
    private readonly CommunicationTarget _fallback;

    public CallbackRoutingService(
        DataverseWebApiClient dataverse,
        AgentTargetResolver agentTargets,
        CallAutomationClient callAutomation,
        IncomingCallLedger ledger,
        RouterMetrics metrics,
        ILogger<CallbackRoutingService> logger,
        TimeProvider clock,
        IOptions<CallbackRouterOptions> options)
    {
        _dataverse = dataverse;
        _agentTargets = agentTargets;
        _callAutomation = callAutomation;
        _ledger = ledger;
        _metrics = metrics;
        _logger = logger;
        _clock = clock;
        _routing = options.Value.Routing;
        _poolNumbers = new HashSet<string>(_routing.PoolNumbers.Select(n => Privacy.PhoneNumberPrivacy.ToE164(n)!), StringComparer.Ordinal);
        _fallback = CommunicationTarget.TryParse(_routing.FallbackTarget, out _)
            ?? throw new InvalidOperationException("CallbackRouter:Routing:FallbackTarget is not valid; the options validator should have stopped the start.");
    }

    /// <param name="call">The call.</param>
    /// <param name="received">When its delivery was accepted (a <see cref="Stopwatch"/> timestamp); the timings start there.</param>
    public async Task<RoutingResult> RouteAsync(IncomingCall call, long? received = null)
    {
        var started = received ?? Stopwatch.GetTimestamp();
        if (call.CalledNumber is null)
        {
            return Finish(call, started, started, RoutingOutcome.Ignored, RoutingReason.NotAPhoneNumber, null, null);
        }

        if (_poolNumbers.Count > 0 && !_poolNumbers.Contains(call.CalledNumber))
        {
            return Finish(call, started, started, RoutingOutcome.Ignored, RoutingReason.NotAPoolNumber, null, null);
        }

        if (!_ledger.TryBegin(call.CorrelationId))
        {
            RouterLog.Duplicate(_logger, call.CorrelationId);
            return Finish(call, started, started, RoutingOutcome.Duplicate, RoutingReason.AlreadyHandled, null, null);
        }

        var decision = await DecideAsync(call).ConfigureAwait(false);
        var decided = Stopwatch.GetTimestamp();
        _metrics.RecordDecision(Stopwatch.GetElapsedTime(started, decided).TotalMilliseconds, decision.Outcome);

        if (decision.Outcome == RoutingOutcome.Ignored)
        {
            _ledger.Complete(call.CorrelationId);
            return Finish(call, started, decided, decision.Outcome, decision.Reason, null, null);
        }

        var lease = decision.Lease;
        if (decision.Target is not null && await TryRedirectAsync(call, decision.Target).ConfigureAwait(false))
        {
            _ledger.Complete(call.CorrelationId);
            return Finish(call, started, decided, RoutingOutcome.RedirectedToAgent, RoutingReason.None, lease, decision.Target);
        }

        var reason = decision.Target is null ? decision.Reason : RoutingReason.AgentRedirectFailed;
        if (decision.Target is not null)
        {
            RouterLog.FallingBack(_logger, call.CorrelationId, reason, "the redirect to the agent failed");
        }

        if (await TryRedirectAsync(call, _fallback).ConfigureAwait(false))
        {
            _ledger.Complete(call.CorrelationId);
            return Finish(call, started, decided, RoutingOutcome.RedirectedToFallback, reason, lease, _fallback);
        }

        _ledger.Forget(call.CorrelationId);
        RouterLog.Stranded(_logger, call.CorrelationId);
        return Finish(call, started, decided, RoutingOutcome.Failed, RoutingReason.FallbackRedirectFailed, lease, _fallback);
    }

    private async Task<Decision> DecideAsync(IncomingCall call)
    {
        using var deadline = new CancellationTokenSource(_routing.LookupDeadline, _clock);
        CallbackLease? lease = null;
        try
        {
            lease = await _dataverse.ResolveCallbackAsync(call.CalledNumber!, call.CallerNumber, deadline.Token).ConfigureAwait(false);
            if (!lease.Matched || lease.ExpiresOn <= _clock.GetUtcNow())
            {
                return new Decision(RoutingOutcome.Ignored, RoutingReason.NoLiveLease, null, null);
            }

            var target = _agentTargets.Resolve(lease);
            if (target is null)
            {
                RouterLog.FallingBack(_logger, call.CorrelationId, RoutingReason.AgentHasNoIdentity, "agent " + lease.AgentId + " has no identity to redirect to");
                return new Decision(RoutingOutcome.RedirectedToFallback, RoutingReason.AgentHasNoIdentity, null, lease);
            }

            return new Decision(RoutingOutcome.RedirectedToAgent, RoutingReason.None, target, lease);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            RouterLog.FallingBack(_logger, call.CorrelationId, RoutingReason.LookupDeadlinePassed, "no answer within " + _routing.LookupDeadline.TotalMilliseconds + " ms");
            return new Decision(RoutingOutcome.RedirectedToFallback, RoutingReason.LookupDeadlinePassed, null, lease);
        }
        catch (DataverseUnavailableException exception)
        {
            RouterLog.FallingBack(_logger, call.CorrelationId, RoutingReason.DataverseUnavailable, exception.Message);
            return new Decision(RoutingOutcome.RedirectedToFallback, RoutingReason.DataverseUnavailable, null, lease);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A fault nobody foresaw must not strand the call either; its type is enough to find it (messages can echo input).
            RouterLog.FallingBack(_logger, call.CorrelationId, RoutingReason.UnexpectedError, exception.GetType().FullName ?? "exception");
            return new Decision(RoutingOutcome.RedirectedToFallback, RoutingReason.UnexpectedError, null, lease);
        }
    }

    private async Task<bool> TryRedirectAsync(IncomingCall call, CommunicationTarget target)
    {
        using var timeout = new CancellationTokenSource(_routing.RedirectTimeout, _clock);
        try
        {
            await _callAutomation.RedirectAsync(call.IncomingCallContext, target, call.CorrelationId, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (AcsRedirectFailedException exception)
        {
            RouterLog.RedirectFailed(_logger, call.CorrelationId, target.Describe(), exception.Message);
            return false;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            RouterLog.RedirectFailed(_logger, call.CorrelationId, target.Describe(), "no answer within " + _routing.RedirectTimeout.TotalMilliseconds + " ms");
            return false;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            RouterLog.RedirectFailed(_logger, call.CorrelationId, target.Describe(), "unexpected " + exception.GetType().FullName);
            return false;
        }
    }

    private RoutingResult Finish(IncomingCall call, long started, long decided, RoutingOutcome outcome, RoutingReason reason, CallbackLease? lease, CommunicationTarget? target)
    {
        var matched = lease is { Matched: true };
        RouterLog.CallRouted(_logger, call.CorrelationId, outcome, reason, matched ? lease!.AgentId : null, matched ? lease!.EmergencyCallId : null,
            target?.Describe() ?? "none", Stopwatch.GetElapsedTime(started, decided).TotalMilliseconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _metrics.RecordOutcome(outcome, reason, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new RoutingResult(call.CorrelationId, outcome, reason);
    }

    private sealed record Decision(RoutingOutcome Outcome, RoutingReason Reason, CommunicationTarget? Target, CallbackLease? Lease);
}
