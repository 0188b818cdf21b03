using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Dataverse;
using Microsoft.Extensions.Options;

namespace EmergencySolution.CallbackRouter.Routing;

/// <summary>
/// Turns the agent who holds a lease into the ACS identity the call is redirected to. Dataverse does not publish the
/// identity Contact Center's own voice client uses, so the router offers two documented ones: the agent's Microsoft
/// Teams user (from the Entra object id that emc_ResolveEmergencyCallback returns with the lease, so it costs no
/// request) or an identity an admin configured per agent.
/// </summary>
public sealed class AgentTargetResolver
{
    private readonly RoutingOptions _routing;

    public AgentTargetResolver(IOptions<CallbackRouterOptions> options)
    {
        _routing = options.Value.Routing;
    }

    /// <summary>The agent's target, or null when the agent has none (the call then goes to the fallback).</summary>
    public CommunicationTarget? Resolve(CallbackLease lease)
    {
        if (_routing.AgentTarget == AgentTargetKind.Configured)
        {
            return _routing.AgentTargets.TryGetValue(lease.AgentId.ToString("D"), out var raw) ? CommunicationTarget.TryParse(raw, out _) : null;
        }

        return lease.AgentEntraObjectId is { } objectId ? CommunicationTarget.TeamsUser(objectId, _routing.TeamsCloud) : null;
    }
}
