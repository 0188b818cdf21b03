namespace EmergencySolution.CallbackRouter.Dataverse;

/// <summary>
/// What emc_ResolveEmergencyCallback answered for a called number, as far as the router uses it. Only a match carries
/// the other values; AgentEntraObjectId is null for an agent without one. (Priority 0 and BypassRouting describe every
/// match; a redirect bypasses all routing anyway, so the router does not read them.)
/// </summary>
public sealed record CallbackLease(bool Matched, Guid AgentId, Guid EmergencyCallId, DateTimeOffset ExpiresOn, Guid? AgentEntraObjectId)
{
    public static readonly CallbackLease NotMatched = new(false, Guid.Empty, Guid.Empty, DateTimeOffset.MinValue, null);
}

/// <summary>Dataverse could not answer: after the retries, or with a status that retrying cannot change.</summary>
public sealed class DataverseUnavailableException : Exception
{
    public DataverseUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
