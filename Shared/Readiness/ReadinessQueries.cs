using System;
using System.Linq;
using EmergencySolution.Configuration;
using EmergencySolution.Model;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Readiness
{
    /// <summary>The reads behind the readiness check that are not about the agent.</summary>
    internal static class ReadinessQueries
    {
        /// <summary>
        /// One RetrieveMultiple: is there an active callback number for the country with no live lease (emc_leaseexpireson
        /// empty or not after now) whose stored text is a valid E.164 number of the country? The same rule Start leases by
        /// (<see cref="Pool.CallbackNumberPool"/>): a deactivated or malformed number does not count.
        /// </summary>
        public static bool CallbackPoolHasFreeNumber(IOrganizationService service, string countryCode, DateTime utcNow)
        {
            var query = new QueryExpression(CallbackNumber.EntityName)
            {
                ColumnSet = new ColumnSet(CallbackNumber.Number, CallbackNumber.CountryCode),
                TopCount = Pool.CallbackNumberPool.CandidatesPerQuery,
                NoLock = true,
            };
            query.Criteria.AddCondition(CallbackNumber.CountryCode, ConditionOperator.Equal, countryCode);
            query.Criteria.AddCondition(CallbackNumber.StateCode, ConditionOperator.Equal, CallbackNumber.StateActive);
            var lease = new FilterExpression(LogicalOperator.Or);
            lease.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.Null);
            lease.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.LessEqual, utcNow);
            query.Criteria.AddFilter(lease);
            return service.RetrieveMultiple(query).Entities.Any(row =>
                Pool.CallbackNumberFormat.IsValidStored(row.GetAttributeValue<string>(CallbackNumber.Number), countryCode));
        }

        /// <summary>
        /// The solution's configuration and the optional direct-routing patterns in ONE RetrieveMultiple: the
        /// configuration query with the direct-routing variable's schema name added to its "schemaname in (...)"
        /// condition. <see cref="EmergencyConfiguration.FromRows"/> ignores the extra row.
        /// </summary>
        public static EmergencyConfiguration LoadConfiguration(IOrganizationService service, ITracingService? tracing,
            out DirectRoutingRules directRoutingRules) => LoadConfiguration(service, tracing, out directRoutingRules, out _);

        /// <summary>
        /// The same ONE RetrieveMultiple, with the admin's statements about the platform too (<see cref="PlatformSettings"/>):
        /// two more schema names in the same condition.
        /// </summary>
        public static EmergencyConfiguration LoadConfiguration(IOrganizationService service, ITracingService? tracing,
            out DirectRoutingRules directRoutingRules, out PlatformSettings platformSettings)
        {
            var query = EmergencyConfiguration.BuildQuery();
            var schemaNameCondition = query.Criteria.Conditions.FirstOrDefault(c =>
                c.AttributeName == EnvironmentVariables.SchemaName && c.Operator == ConditionOperator.In);
            if (schemaNameCondition == null)
            {
                // The configuration query changed shape; stay correct at the price of one more round trip.
                directRoutingRules = DirectRoutingRules.Load(service);
                platformSettings = PlatformSettings.Defaults;
                return EmergencyConfiguration.Load(service, tracing);
            }

            schemaNameCondition.Values.Add(DirectRoutingRules.EnvironmentVariableSchemaName);
            foreach (var schemaName in PlatformSettings.SchemaNames)
            {
                schemaNameCondition.Values.Add(schemaName);
            }

            var rows = service.RetrieveMultiple(query).Entities;
            directRoutingRules = DirectRoutingRules.FromRows(rows);
            platformSettings = PlatformSettings.FromRows(rows);
            return EmergencyConfiguration.FromRows(rows, tracing);
        }
    }
}
