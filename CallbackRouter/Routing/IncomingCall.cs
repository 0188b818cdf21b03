namespace EmergencySolution.CallbackRouter.Routing;

/// <summary>
/// One Microsoft.Communication.IncomingCall event, reduced to what routing needs. The numbers are E.164 ("+" and
/// digits) or null when that side of the call is not a phone number. They are personal data: nothing logs them.
/// The correlationId is in its kept form (<see cref="Webhook.EventGridDelivery.KeptId"/>): bounded, printable.
/// </summary>
public sealed record IncomingCall(string CorrelationId, string? CalledNumber, string? CallerNumber, string IncomingCallContext);

/// <summary>What became of one incoming call.</summary>
public enum RoutingOutcome
{
    /// <summary>Redirected to the agent who holds the number's lease.</summary>
    RedirectedToAgent,

    /// <summary>Redirected to the configured supervisor or security desk (see the reason).</summary>
    RedirectedToFallback,

    /// <summary>Left alone, so the normal routing takes it (see the reason).</summary>
    Ignored,

    /// <summary>The same correlationId was already handled or is being handled.</summary>
    Duplicate,

    /// <summary>
    /// Neither the agent nor the fallback could be reached, after the retries of each; logged as an error. The
    /// delivery was answered when it was accepted, so Event Grid does not redeliver it (a status that depended on
    /// this would tell the caller the number has a live lease).
    /// </summary>
    Failed,
}

public enum RoutingReason
{
    None,
    NotAPhoneNumber,
    NotAPoolNumber,
    NoLiveLease,
    DataverseUnavailable,
    LookupDeadlinePassed,
    AgentHasNoIdentity,
    UnexpectedError,
    AgentRedirectFailed,
    AlreadyHandled,
    FallbackRedirectFailed,
}

public sealed record RoutingResult(string CorrelationId, RoutingOutcome Outcome, RoutingReason Reason);
