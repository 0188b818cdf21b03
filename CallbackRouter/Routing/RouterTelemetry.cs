using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace EmergencySolution.CallbackRouter.Routing;

/// <summary>
/// Structured log events and metrics. By construction they take no phone number: the parameters are the
/// correlationId, ids of Dataverse rows, outcome, reason, target kind and timings.
/// </summary>
public static partial class RouterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Incoming call {CorrelationId}: {Outcome} ({Reason}); agent {AgentId}, emergency call {EmergencyCallId}, target {Target}; decided in {DecisionMs:F1} ms, done in {TotalMs:F1} ms")]
    public static partial void CallRouted(ILogger logger, string correlationId, RoutingOutcome outcome, RoutingReason reason, Guid? agentId, Guid? emergencyCallId, string target, double decisionMs, double totalMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Incoming call {CorrelationId}: the agent could not be found ({Reason}: {Detail}); redirecting to the fallback target")]
    public static partial void FallingBack(ILogger logger, string correlationId, RoutingReason reason, string detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Incoming call {CorrelationId}: redirect to {Target} failed: {Detail}")]
    public static partial void RedirectFailed(ILogger logger, string correlationId, string target, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Incoming call {CorrelationId}: duplicate delivery ignored")]
    public static partial void Duplicate(ILogger logger, string correlationId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Rejected a delivery: {Problem}")]
    public static partial void MalformedDelivery(ILogger logger, string problem);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Answered the Event Grid subscription validation handshake")]
    public static partial void ValidationHandshake(ILogger logger);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Retrying {Dependency} after {Cause}")]
    public static partial void Retrying(ILogger logger, string dependency, string cause);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Refused a delivery: {Problem}")]
    public static partial void Unauthorized(ILogger logger, string problem);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "CallbackRouter:Routing:PoolNumbers is empty: every number that reaches the router is treated as a pool number, so when Dataverse cannot answer, its call goes to the fallback target. Filter the Event Grid subscription to the pool's numbers.")]
    public static partial void NoPoolNumbers(ILogger logger);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "The webhook has no authentication (CallbackRouter:Webhook:EntraId and CallbackRouter:Webhook:SharedSecret are empty): anyone who can reach it can post deliveries. Allowed outside Production only.")]
    public static partial void NoWebhookAuthentication(ILogger logger);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Incoming call {CorrelationId}: neither the agent nor the fallback target could be reached")]
    public static partial void Stranded(ILogger logger, string correlationId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Routing an accepted delivery failed unexpectedly: {ExceptionType}")]
    public static partial void RoutingCrashed(ILogger logger, string exceptionType);
}

/// <summary>
/// Meter "EmergencySolution.CallbackRouter": decision latency (delivery accepted → target known), routing latency
/// (delivery accepted → redirect accepted or call ignored) and outcomes.
/// </summary>
public sealed class RouterMetrics : IDisposable
{
    public const string MeterName = "EmergencySolution.CallbackRouter";
    public const string DecisionDurationName = "emc.callback_router.decision.duration";
    public const string RoutingDurationName = "emc.callback_router.routing.duration";

    private readonly Meter _meter;
    private readonly Histogram<double> _decision;
    private readonly Histogram<double> _routing;
    private readonly Counter<long> _outcomes;

    public RouterMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _decision = _meter.CreateHistogram<double>(DecisionDurationName, "ms", "Time from an IncomingCall event's arrival to the routing decision.");
        _routing = _meter.CreateHistogram<double>(RoutingDurationName, "ms", "Time from an IncomingCall event's arrival to the end of its routing (redirect accepted, or ignored).");
        _outcomes = _meter.CreateCounter<long>("emc.callback_router.calls", "{call}", "Incoming calls by outcome.");
    }

    public void RecordDecision(double milliseconds, RoutingOutcome outcome) =>
        _decision.Record(milliseconds, new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void RecordOutcome(RoutingOutcome outcome, RoutingReason reason, double totalMilliseconds)
    {
        _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()), new KeyValuePair<string, object?>("reason", reason.ToString()));
        _routing.Record(totalMilliseconds, new KeyValuePair<string, object?>("outcome", outcome.ToString()));
    }

    public void Dispose() => _meter.Dispose();
}
