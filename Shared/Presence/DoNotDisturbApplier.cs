using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using EmergencySolution.Guards;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Presence
{
    /// <summary>
    /// Switches the agent of a new emergency call to Do not disturb (base status 192360002), whatever the presence
    /// was, in 3 requests, one at a time: the call joined to the agent's status row, the DND presences, and one write
    /// (+1 to read the call again when its first read fails, +1 to record a warning on the call). Runs asynchronously after the call row is committed, because a failed write inside
    /// Start's transaction would end the whole start; here a failure is recorded on the call (emc_warnings) instead.
    /// The prior presence was captured by Start; a call that has already ended is left alone, so End always wins.
    /// </summary>
    internal sealed class DoNotDisturbApplier
    {
        private readonly IOrganizationService _system;
        private readonly ITracingService _tracing;

        public DoNotDisturbApplier(IOrganizationService systemService, ITracingService tracing)
        {
            _system = systemService;
            _tracing = tracing;
        }

        /// <summary>The step (emc_emergencycall Create, PostOperation, asynchronous): Do not disturb for a call Start created.</summary>
        public static void ApplyForNewCall(LocalPluginContext context, string stepName)
        {
            if (!EmergencyCallWriteOrigin.IsNewCallFromStart(context, stepName))
            {
                return;
            }

            new DoNotDisturbApplier(context.SystemService, context.TracingService)
                .Apply(context.ExecutionContext.PrimaryEntityId, LifecycleClock.UtcNow(context.ExecutionContext));
        }

        public bool Apply(Guid emergencyCallId, DateTime nowUtc)
        {
            var callQuery = new QueryExpression(EmergencyCall.EntityName)
            {
                ColumnSet = new ColumnSet(EmergencyCall.StateCode, EmergencyCall.Warnings),
                TopCount = 1,
            };
            callQuery.Criteria.AddCondition(EmergencyCall.Id, ConditionOperator.Equal, emergencyCallId);
            AgentPresence.LinkAgentStatus(callQuery);

            var presenceQuery = new QueryExpression(PresenceStatus.EntityName) { ColumnSet = new ColumnSet(PresenceStatus.Name), TopCount = 5 };
            presenceQuery.Criteria.AddCondition(PresenceStatus.BaseStatus, ConditionOperator.Equal, PresenceStatus.BaseStatusDoNotDisturb);
            presenceQuery.AddOrder(PresenceStatus.Name, OrderType.Ascending);

            // Two reads, one at a time (no batch request types). The call is read once more if the first read fails: without
            // it there is nothing to record a warning on.
            Entity? call;
            try
            {
                call = ReadCall(callQuery);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                _tracing.Trace("Presence: the call could not be read ({0}); reading it again.", ServiceFailures.Describe(exception));
                try
                {
                    call = ReadCall(callQuery);
                }
                catch (Exception again) when (ServiceFailures.IsRecoverable(again))
                {
                    _tracing.Trace("Presence: the call could not be read: {0}", ServiceFailures.Describe(again));
                    return false;
                }
            }

            if (call == null)
            {
                _tracing.Trace("Presence: emergency call {0} no longer exists.", emergencyCallId);
                return false;
            }

            IList<Entity> presences;
            try
            {
                presences = _system.RetrieveMultiple(presenceQuery).Entities;
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                return RecordWarning(call, "Presence was not changed: the presences could not be read (" + ServiceFailures.Describe(exception) +
                    "); set Do not disturb by hand.");
            }


            if ((call.GetAttributeValue<OptionSetValue>(EmergencyCall.StateCode)?.Value ?? EmergencyCall.StateActive) != EmergencyCall.StateActive)
            {
                _tracing.Trace("Presence: emergency call {0} has already ended; presence is left as End restored it.", emergencyCallId);
                return false;
            }

            // Prefer the out-of-box "Do not disturb" record when custom DND presences exist too.
            var doNotDisturb = presences.FirstOrDefault(p =>
                    (p.GetAttributeValue<string>(PresenceStatus.Name) ?? string.Empty).IndexOf("not disturb", StringComparison.OrdinalIgnoreCase) >= 0)
                ?? presences.FirstOrDefault();
            if (doNotDisturb == null)
            {
                return RecordWarning(call, "Presence was not changed: no presence with base status Do not disturb (192360002) exists. " +
                    "Create one in the admin center's presence settings.");
            }

            var statusId = AgentPresence.StatusIdOf(call);
            if (statusId == Guid.Empty)
            {
                return RecordWarning(call, "Presence was not changed: the agent has no agent status row (sign in to Omnichannel first).");
            }

            if (AgentPresence.CurrentPresenceOf(call) == doNotDisturb.Id)
            {
                return true;
            }

            try
            {
                AgentPresence.Set(_system, statusId, doNotDisturb.Id, nowUtc);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                return RecordWarning(call, "Presence could not be set to Do not disturb (" + ServiceFailures.Describe(exception) + "); set it by hand.");
            }

            _tracing.Trace("Presence: set to Do not disturb for emergency call {0}.", emergencyCallId);
            return true;
        }

        private Entity? ReadCall(QueryExpression callQuery) => _system.RetrieveMultiple(callQuery).Entities.FirstOrDefault();

        private bool RecordWarning(Entity call, string warning)
        {
            _tracing.Trace("Presence: {0}", warning);
            var existing = call.GetAttributeValue<string>(EmergencyCall.Warnings);
            var text = string.IsNullOrEmpty(existing) ? warning : existing + "\n" + warning;
            try
            {
                _system.Update(new Entity(EmergencyCall.EntityName, call.Id)
                {
                    [EmergencyCall.Warnings] = text.Length <= 4000 ? text : text.Substring(0, 3999) + "…",
                });
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                _tracing.Trace("Presence: the warning could not be recorded on the call: {0}", ServiceFailures.Describe(exception));
            }

            return false;
        }
    }
}
