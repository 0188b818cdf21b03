namespace EmergencySolution.CallbackRouter.Dataverse;

/// <summary>What emc_ResolveEmergencyCallback answered for a called number. Only a match carries the other values.</summary>
public sealed record CallbackLease(bool Matched, Guid AgentId, Guid EmergencyCallId, int Priority, bool BypassRouting, DateTimeOffset ExpiresOn)
{
    public static readonly CallbackLease NotMatched = new(false, Guid.Empty, Guid.Empty, 0, false, DateTimeOffset.MinValue);
}

/// <summary>Dataverse could not answer: after the retries, or with a status that retrying cannot change.</summary>
public sealed class DataverseUnavailableException : Exception
{
    public DataverseUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
