using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Dataverse;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EmergencySolution.CallbackRouter.Routing;

/// <summary>
/// Turns the agent who holds a lease (a systemuser id) into the ACS identity the call is redirected to. Dataverse
/// does not publish the identity Contact Center's own voice client uses, so the router offers two documented ones:
/// the agent's Microsoft Teams user (from systemuser.azureactivedirectoryobjectid, cached) or an identity an admin
/// configured per agent.
/// </summary>
public sealed class AgentTargetResolver
{
    private readonly DataverseWebApiClient _dataverse;
    private readonly IMemoryCache _cache;
    private readonly RoutingOptions _routing;

    public AgentTargetResolver(DataverseWebApiClient dataverse, IMemoryCache cache, IOptions<CallbackRouterOptions> options)
    {
        _dataverse = dataverse;
        _cache = cache;
        _routing = options.Value.Routing;
    }

    /// <summary>The agent's target, or null when the agent has none (the call then goes to the fallback).</summary>
    public async Task<CommunicationTarget?> ResolveAsync(Guid agentId, CancellationToken cancellationToken)
    {
        if (_routing.AgentTarget == AgentTargetKind.Configured)
        {
            return _routing.AgentTargets.TryGetValue(agentId.ToString("D"), out var raw) ? CommunicationTarget.TryParse(raw, out _) : null;
        }

        var cacheKey = "agent-target:" + agentId.ToString("N");
        if (_cache.TryGetValue(cacheKey, out CommunicationTarget? cached))
        {
            return cached;
        }

        var objectId = await _dataverse.GetEntraObjectIdAsync(agentId, cancellationToken).ConfigureAwait(false);
        if (objectId is null)
        {
            return null;
        }

        var target = CommunicationTarget.TeamsUser(objectId.Value, _routing.TeamsCloud);
        _cache.Set(cacheKey, target, _routing.AgentIdentityCacheDuration);
        return target;
    }
}
