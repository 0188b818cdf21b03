using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Pool
{
    /// <summary>
    /// The documented clean-up: releases expired callback leases and clears the phone numbers from every emergency
    /// call row whose callback window is over (leased or not), so that a call row keeps operational state only.
    /// </summary>
    /// <remarks>
    /// Two reads (expired leases, call rows past their window that still hold a number), one ExecuteMultiple per batch
    /// of 200 leases that claims them and reads them again under the row locks, and one ExecuteMultiple per batch of
    /// 200 writes. A Start that re-leased a number in between keeps its lease.
    /// </remarks>
    internal sealed class ExpiredLeaseReleaser
    {
        /// <summary>Rows handled per run; a scheduled run picks up the rest, so one run stays well inside 2 minutes.</summary>
        public const int MaxRowsPerRun = 1000;

        private const int BatchSize = 200;

        private readonly IOrganizationService _system;
        private readonly ITracingService _tracing;

        public ExpiredLeaseReleaser(IOrganizationService systemService, ITracingService tracing)
        {
            _system = systemService;
            _tracing = tracing;
        }

        public int Release(DateTime nowUtc)
        {
            var leaseQuery = new QueryExpression(CallbackNumber.EntityName)
            {
                ColumnSet = new ColumnSet(CallbackNumber.EmergencyCallId, CallbackNumber.CountryCode),
                TopCount = MaxRowsPerRun,
            };
            leaseQuery.Criteria.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.LessEqual, nowUtc);
            var leased = new FilterExpression(LogicalOperator.Or);
            leased.AddCondition(CallbackNumber.EmergencyCallId, ConditionOperator.NotNull);
            leased.AddCondition(CallbackNumber.AgentId, ConditionOperator.NotNull);
            leaseQuery.Criteria.AddFilter(leased);
            var expiredLeases = _system.RetrieveMultiple(leaseQuery).Entities.ToList();

            var callQuery = new QueryExpression(EmergencyCall.EntityName)
            {
                ColumnSet = new ColumnSet(false),
                TopCount = MaxRowsPerRun,
            };
            callQuery.Criteria.AddCondition(EmergencyCall.CallbackExpiresOn, ConditionOperator.LessEqual, nowUtc);
            var holdsNumber = new FilterExpression(LogicalOperator.Or);
            holdsNumber.AddCondition(EmergencyCall.DialedNumber, ConditionOperator.NotNull);
            holdsNumber.AddCondition(EmergencyCall.CallbackNumberId, ConditionOperator.NotNull);
            callQuery.Criteria.AddFilter(holdsNumber);
            var callsToClear = _system.RetrieveMultiple(callQuery).Entities.Select(call => call.Id).ToList();

            // Claim first (same-value writes take the row locks), then keep only the leases still expired under those
            // locks: a Start that re-leased a number since our query keeps its lease. No write here is expected to
            // fail, because a failed write ends the whole transaction on the platform.
            var stillExpired = new List<Entity>();
            for (var offset = 0; offset < expiredLeases.Count; offset += BatchSize)
            {
                var batch = expiredLeases.Skip(offset).Take(BatchSize).ToList();
                var requests = new OrganizationRequestCollection();
                requests.AddRange(batch.Select(lease => (OrganizationRequest)new UpdateRequest
                {
                    Target = new Entity(CallbackNumber.EntityName, lease.Id)
                    {
                        [CallbackNumber.CountryCode] = lease.GetAttributeValue<string>(CallbackNumber.CountryCode),
                    },
                }));
                var recheck = new QueryExpression(CallbackNumber.EntityName) { ColumnSet = new ColumnSet(CallbackNumber.EmergencyCallId) };
                recheck.Criteria.AddCondition(CallbackNumber.Id, ConditionOperator.In, batch.Select(lease => (object)lease.Id).ToArray());
                recheck.Criteria.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.LessEqual, nowUtc);
                requests.Add(new RetrieveMultipleRequest { Query = recheck });
                var items = ExecuteBatch(requests);
                var answer = items.FirstOrDefault(item => item.RequestIndex == requests.Count - 1)?.Response;
                if (answer != null && answer.Results["EntityCollection"] is EntityCollection rows)
                {
                    stillExpired.AddRange(rows.Entities);
                }
            }

            var writes = new List<OrganizationRequest>();
            foreach (var lease in stillExpired)
            {
                writes.Add(new UpdateRequest
                {
                    Target = new Entity(CallbackNumber.EntityName, lease.Id)
                    {
                        [CallbackNumber.EmergencyCallId] = null,
                        [CallbackNumber.AgentId] = null,
                        [CallbackNumber.LeaseExpiresOn] = null,
                    },
                });
                var call = lease.GetAttributeValue<EntityReference>(CallbackNumber.EmergencyCallId);
                if (call != null && !callsToClear.Contains(call.Id))
                {
                    callsToClear.Add(call.Id);
                }
            }

            writes.AddRange(callsToClear.Select(id => (OrganizationRequest)new UpdateRequest { Target = CallbackNumberPool.CallNumbersCleared(id) }));
            for (var offset = 0; offset < writes.Count; offset += BatchSize)
            {
                var requests = new OrganizationRequestCollection();
                requests.AddRange(writes.Skip(offset).Take(BatchSize));
                ExecuteBatch(requests);
            }

            var released = stillExpired.Count;
            _tracing.Trace("Release: {0} lease(s) released, {1} call row(s) cleared, {2} lease(s) re-leased meanwhile and kept.",
                released, callsToClear.Count, expiredLeases.Count - released);
            return released;
        }

        private ExecuteMultipleResponseItemCollection ExecuteBatch(OrganizationRequestCollection requests)
        {
            var request = new ExecuteMultipleRequest
            {
                Requests = requests,
                Settings = new ExecuteMultipleSettings { ContinueOnError = false, ReturnResponses = true },
            };
            var items = (ExecuteMultipleResponseItemCollection)_system.Execute(request).Results["Responses"];
            var fault = items.FirstOrDefault(item => item.Fault != null)?.Fault;
            if (fault != null)
            {
                throw new InvalidPluginExecutionException("Expired callback leases could not be released: " +
                    PhoneNumberPrivacy.Redact(fault.Message));
            }

            return items;
        }
    }
}
