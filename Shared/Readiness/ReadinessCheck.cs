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
    /// Round-trip budget: 3. (1) configuration and the optional direct-routing patterns in one query, (2) the agent
    /// snapshot, (3) the callback pool probe, skipped when the country is not supported. The configuration and the
    /// agent are read as the caller, so an admin sees only what they may read; the pool is read as SYSTEM because
    /// agents hold no privilege on callback numbers, and only a yes/no leaves this API.
    /// </remarks>
    internal static class ReadinessCheck
    {
        public static void Run(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var inputs = execution.InputParameters;
            var agentId = inputs.TryGetValue(ParameterNames.AgentId, out var agentValue) && agentValue is Guid requested && requested != Guid.Empty
                ? requested
                : execution.UserId;
            var countryCode = inputs.TryGetValue(ParameterNames.CountryCode, out var countryValue) ? countryValue as string : null;
            var originNumberType = inputs.TryGetValue(ParameterNames.OriginNumberType, out var originValue) ? originValue as string : null;

            var configuration = ReadinessQueries.LoadConfiguration(context.UserService, context.TracingService, out var directRoutingRules);
            var agent = AgentSnapshot.Load(context.UserService, agentId);
            bool? poolHasFreeNumber = null;
            var country = EmergencyConfiguration.NormalizeCountry(countryCode);
            if (country != null && configuration.IsSupportedCountry(country))
            {
                // The platform stamps OperationCreatedOn when the request starts: one clock for the whole check.
                poolHasFreeNumber = ReadinessQueries.CallbackPoolHasFreeNumber(context.SystemService, country, execution.OperationCreatedOn);
            }

            var checks = new List<string>(configuration.ConfigurationWarnings);
            checks.AddRange(ReadinessRules.Evaluate(agent, configuration, countryCode, originNumberType, poolHasFreeNumber, directRoutingRules));

            context.Trace("GetEmergencyReadinessApi: agent {0}, country {1}: {2} failed check(s).", agentId, country ?? "(none)", checks.Count);
            execution.OutputParameters[ParameterNames.Ready] = checks.Count == 0;
            execution.OutputParameters[ParameterNames.Checks] = checks.ToArray();
        }
    }
}
