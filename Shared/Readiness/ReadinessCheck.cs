using System;
using System.Collections.Generic;
using EmergencySolution.Configuration;
using EmergencySolution.Model;
using EmergencySolution.Runtime;

namespace EmergencySolution.Readiness
{
    /// <summary>
    /// emc_GetEmergencyReadiness: would an emergency call by this agent, from this country, work as Microsoft documents
    /// it? Ready, and one plain-words line per failed check.
    /// </summary>
    /// <remarks>
    /// Round-trip budget: 3, each for a reason: (1) configuration and the optional direct-routing patterns in one
    /// query, (2) the agent snapshot, (3) the callback pool probe, skipped when the country is not supported; +1 when
    /// the caller asks about another agent (the permission check below).
    /// The reads run as SYSTEM, so the check works for a caller with only the shipped roles (an agent cannot read
    /// capacity profiles, workstreams, mailboxes or the pool, and need not). What the caller may ask is checked instead:
    /// an agent asks about themself (AgentId empty or their own id); asking about another agent needs read access to
    /// the callback pool, which the Emergency Calling Administrator role has and the agent role has not. Only plain-words
    /// lines about the agent's setup leave this API, never a pool number.
    /// </remarks>
    internal static class ReadinessCheck
    {
        public static void Run(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var requestedAgentId = execution.Input<Guid>(ParameterNames.AgentId);
            var agentId = requestedAgentId != Guid.Empty ? requestedAgentId : execution.UserId;
            var countryCode = execution.Input<string>(ParameterNames.CountryCode);
            var originNumberType = execution.Input<string>(ParameterNames.OriginNumberType);

            if (agentId != execution.UserId)
            {
                RequireAdministrator(context, agentId);
            }

            var configuration = ReadinessQueries.LoadConfiguration(context.SystemService, context.TracingService, out var directRoutingRules, out var platform);
            var agent = AgentSnapshot.Load(context.SystemService, agentId);
            bool? poolHasFreeNumber = null;
            var country = EmergencyConfiguration.NormalizeCountry(countryCode);
            if (country != null && configuration.IsSupportedCountry(country))
            {
                // The platform stamps OperationCreatedOn when the request starts: one clock for the whole check.
                poolHasFreeNumber = ReadinessQueries.CallbackPoolHasFreeNumber(context.SystemService, country, execution.OperationCreatedOn);
            }

            var checks = new List<string>(configuration.ConfigurationWarnings);
            checks.AddRange(platform.Problems);
            checks.AddRange(ReadinessRules.Evaluate(agent, configuration, countryCode, originNumberType, poolHasFreeNumber, directRoutingRules));

            context.Trace("GetEmergencyReadinessApi: agent {0}, country {1}: {2} failed check(s).", agentId, country ?? "(none)", checks.Count);
            execution.Output(ParameterNames.Ready, checks.Count == 0);
            execution.Output(ParameterNames.Checks, checks.ToArray());
            // Per agent and path, who does what: the platform's built-in feature or this solution (docs/platform.md, section 5).
            var promise = CallbackPromise.Decide(originNumberType, directRoutingRules, configuration, country,
                platform.CarrierPresentsPoolNumbers, platform.Duties);
            execution.Output(ParameterNames.Responsibilities, new List<string>(promise.Responsibilities()).ToArray());
        }

        /// <summary>One read as the caller: the callback pool, which only the administrator (and router) roles may read.</summary>
        private static void RequireAdministrator(LocalPluginContext context, Guid agentId)
        {
            var probe = new Microsoft.Xrm.Sdk.Query.QueryExpression(CallbackNumber.EntityName)
            {
                ColumnSet = new Microsoft.Xrm.Sdk.Query.ColumnSet(false),
                TopCount = 1,
            };
            try
            {
                context.UserService.RetrieveMultiple(probe);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                context.Trace("GetEmergencyReadinessApi: the caller may not check agent {0}: {1}", agentId, ServiceFailures.Describe(exception));
                throw new Microsoft.Xrm.Sdk.InvalidPluginExecutionException(
                    "Checking another agent's readiness (AgentId " + agentId + ") needs the Emergency Calling Administrator role. " +
                    "An agent checks themself: leave AgentId empty.");
            }
        }
    }
}
