using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.CustomApis.Lifecycle
{
    /// <summary>
    /// The documented clean-up: releases expired callback leases and clears the phone numbers from every emergency
    /// call row whose callback window is over (leased or not), so that a call row keeps operational state only.
    /// </summary>
    /// <remarks>
    /// Two reads (expired leases, call rows past their window that still hold a number), then one ExecuteMultiple
    /// per batch of writes. A lease is released with IfRowVersionMatches: if a Start re-leases the number between our
    /// read and our write, the new lease wins and is left alone.
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
                ColumnSet = new ColumnSet(CallbackNumber.EmergencyCallId),
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

            var writes = new List<PendingWrite>();
            foreach (var lease in expiredLeases)
            {
                var release = new Entity(CallbackNumber.EntityName, lease.Id)
                {
                    RowVersion = lease.RowVersion,
                    [CallbackNumber.EmergencyCallId] = null,
                    [CallbackNumber.AgentId] = null,
                    [CallbackNumber.LeaseExpiresOn] = null,
                };
                writes.Add(new PendingWrite(new UpdateRequest { Target = release, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches }, true));
                var call = lease.GetAttributeValue<EntityReference>(CallbackNumber.EmergencyCallId);
                if (call != null && !callsToClear.Contains(call.Id))
                {
                    callsToClear.Add(call.Id);
                }
            }

            writes.AddRange(callsToClear.Select(id => new PendingWrite(new UpdateRequest { Target = EmergencyCallStarter.CallNumbersCleared(id) }, false)));

            var released = 0;
            var failed = 0;
            for (var offset = 0; offset < writes.Count; offset += BatchSize)
            {
                var batch = writes.Skip(offset).Take(BatchSize).ToList();
                var request = new ExecuteMultipleRequest
                {
                    Requests = new OrganizationRequestCollection(),
                    Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = false },
                };
                request.Requests.AddRange(batch.Select(write => write.Request));
                var response = (ExecuteMultipleResponse)_system.Execute(request);
                var faulted = new HashSet<int>(response.Responses.Where(item => item.Fault != null).Select(item => item.RequestIndex));
                for (var index = 0; index < batch.Count; index++)
                {
                    if (faulted.Contains(index))
                    {
                        failed++;
                    }
                    else if (batch[index].IsLease)
                    {
                        released++;
                    }
                }
            }

            _tracing.Trace("Release: {0} lease(s) released, {1} call row(s) cleared, {2} write(s) skipped (re-leased meanwhile or failed).",
                released, callsToClear.Count, failed);
            return released;
        }

        private sealed class PendingWrite
        {
            public PendingWrite(OrganizationRequest request, bool isLease)
            {
                Request = request;
                IsLease = isLease;
            }

            public OrganizationRequest Request { get; }

            public bool IsLease { get; }
        }
    }
}
