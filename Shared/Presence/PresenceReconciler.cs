using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Readiness;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Presence
{
    /// <summary>
    /// The one place that changes an agent's presence. Runs asynchronously after a call row is created (Start) and after
    /// it is ended (End, or the conversation-closed safety net), reads all the agent's recent calls and the presence
    /// the presence service holds, and makes the presence what <see cref="PresencePlan"/> says, through
    /// <see cref="ContactCenterPresenceApi"/> as the agent. Never writes msdyn_agentstatus.
    /// </summary>
    /// <remarks>
    /// Whatever order the steps run in, each run looks at the whole picture, so the last one to run leaves the right
    /// presence. Round trips: 1 read (the agent's calls joined to their status row), + 1 CCaaS_ModifyAgentPresence when
    /// the presence must change, + 1 write when a redial's prior is carried over, + 1 write when the change failed (the
    /// warning on the call). A failure is recorded on the call and never thrown: a retried job could fight a later one.
    /// </remarks>
    internal sealed class PresenceReconciler
    {
        /// <summary>Calls ended longer ago than this play no part (the window the plan needs is 10 minutes).</summary>
        public static readonly TimeSpan LookBack = TimeSpan.FromHours(24);

        public const int MaxCalls = 50;

        private const string TriggerAlias = "trigger";
        private const string StatusAlias = "agentstatus";

        private readonly IOrganizationService _system;
        private readonly Func<Guid, IOrganizationService> _asUser;
        private readonly ITracingService _tracing;

        /// <param name="systemService">Reads and the warning write (the agent holds no privilege on other agents' rows).</param>
        /// <param name="asUser">An organization service acting as the given user (the platform's service factory).</param>
        public PresenceReconciler(IOrganizationService systemService, Func<Guid, IOrganizationService> asUser, ITracingService tracing)
        {
            _system = systemService;
            _asUser = asUser;
            _tracing = tracing;
        }

        /// <summary>Makes the agent of <paramref name="emergencyCallId"/> have the presence their calls call for.</summary>
        /// <returns>The presence set, or null when nothing was changed (already right, left to the platform, or failed).</returns>
        public Guid? Reconcile(Guid emergencyCallId, DateTime nowUtc)
        {
            var rows = ReadCalls(emergencyCallId, nowUtc);
            if (rows == null)
            {
                return null;
            }

            var triggering = rows.FirstOrDefault(r => r.Id == emergencyCallId);
            var agent = triggering?.GetAttributeValue<EntityReference>(EmergencyCall.AgentId);
            if (triggering == null || agent == null)
            {
                _tracing.Trace("Presence: emergency call {0} no longer exists or has no agent; nothing to do.", emergencyCallId);
                return null;
            }

            var current = Aliased<EntityReference>(triggering, StatusAlias, AgentStatus.CurrentPresenceId)?.Id;
            var plan = PresencePlan.Decide(rows.Select(ToFacts).ToList(), emergencyCallId, current, ContactCenterPresenceApi.BusyDoNotDisturb, nowUtc);
            _tracing.Trace("Presence: emergency call {0}: {1}.", emergencyCallId, plan.Reason);

            if (plan.CarryOverPrior is Guid carriedOver)
            {
                TryWrite(triggering, new Entity(EmergencyCall.EntityName, emergencyCallId)
                {
                    [EmergencyCall.PriorPresenceId] = new EntityReference(PresenceStatus.EntityName, carriedOver),
                }, "the prior presence carried over from the agent's earlier call");
            }

            return plan.Target is Guid target ? SetPresence(triggering, agent.Id, target) : null;
        }

        /// <summary>
        /// The one query (<see cref="BuildQuery"/>), made once more after a failure: a single fault must not leave the
        /// agent's presence wrong. Null when both failed: nothing to act on and nowhere sure to record it, so the trace
        /// and the next step's run carry it.
        /// </summary>
        private IReadOnlyList<Entity>? ReadCalls(Guid emergencyCallId, DateTime nowUtc)
        {
            try
            {
                return ReadCallsOnce(emergencyCallId, nowUtc);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                _tracing.Trace("Presence: the calls of emergency call {0}'s agent could not be read ({1}); reading again.", emergencyCallId,
                    ServiceFailures.Describe(exception));
                try
                {
                    return ReadCallsOnce(emergencyCallId, nowUtc);
                }
                catch (Exception again) when (ServiceFailures.IsRecoverable(again))
                {
                    _tracing.Trace("Presence: the calls of emergency call {0}'s agent could not be read: {1}", emergencyCallId,
                        ServiceFailures.Describe(again));
                    return null;
                }
            }
        }

        /// <summary>
        /// One CCaaS_ModifyAgentPresence as the agent, when the agent has a status row (signed in to Omnichannel);
        /// otherwise, or when it fails, a warning on the call. Returns the presence set, or null.
        /// </summary>
        private Guid? SetPresence(Entity triggering, Guid agentId, Guid target)
        {
            if (Aliased<Guid?>(triggering, StatusAlias, AgentStatus.Id) == null)
            {
                RecordWarning(triggering, "Presence was not changed: the agent has no agent status (sign in to Omnichannel first).");
                return null;
            }

            var failure = ContactCenterPresenceApi.TrySet(_asUser(agentId), agentId, target);
            if (failure != null)
            {
                RecordWarning(triggering, (target == ContactCenterPresenceApi.BusyDoNotDisturb
                    ? "Presence could not be set to Do not disturb"
                    : "The prior presence could not be restored") + " through CCaaS_ModifyAgentPresence (" + failure + "); set it by hand.");
                return null;
            }

            _tracing.Trace("Presence: agent {0} set to presence {1}.", agentId, target);
            return target;
        }

        /// <summary>
        /// One query: every call of the triggering call's agent that is active or ended within <see cref="LookBack"/>
        /// (a self-join on emc_agentid), each joined to the agent's status row for the presence the service holds.
        /// </summary>
        internal static QueryExpression BuildQuery(Guid emergencyCallId, DateTime nowUtc)
        {
            var query = new QueryExpression(EmergencyCall.EntityName)
            {
                ColumnSet = new ColumnSet(EmergencyCall.AgentId, EmergencyCall.StateCode, EmergencyCall.PriorPresenceId,
                    EmergencyCall.StartedOn, EmergencyCall.EndedOn, EmergencyCall.LeftToPlatform, EmergencyCall.Warnings),
                TopCount = MaxCalls,
                NoLock = true,
            };
            var recent = new FilterExpression(LogicalOperator.Or);
            recent.AddCondition(EmergencyCall.StateCode, ConditionOperator.Equal, EmergencyCall.StateActive);
            recent.AddCondition(EmergencyCall.EndedOn, ConditionOperator.GreaterEqual, nowUtc - LookBack);
            recent.AddCondition(EmergencyCall.Id, ConditionOperator.Equal, emergencyCallId);
            query.Criteria.AddFilter(recent);
            query.AddOrder(EmergencyCall.StartedOn, OrderType.Descending);

            var sameAgent = query.AddLink(EmergencyCall.EntityName, EmergencyCall.AgentId, EmergencyCall.AgentId, JoinOperator.Inner);
            sameAgent.EntityAlias = TriggerAlias;
            sameAgent.LinkCriteria.AddCondition(EmergencyCall.Id, ConditionOperator.Equal, emergencyCallId);

            var status = query.AddLink(AgentStatus.EntityName, EmergencyCall.AgentId, AgentStatus.AgentId, JoinOperator.LeftOuter);
            status.EntityAlias = StatusAlias;
            status.Columns = new ColumnSet(AgentStatus.Id, AgentStatus.CurrentPresenceId);
            return query;
        }

        private static CallPresenceFacts ToFacts(Entity row)
        {
            var state = row.GetAttributeValue<OptionSetValue>(EmergencyCall.StateCode)?.Value ?? EmergencyCall.StateActive;
            return new CallPresenceFacts(
                row.Id,
                state == EmergencyCall.StateActive,
                row.GetAttributeValue<EntityReference>(EmergencyCall.PriorPresenceId)?.Id,
                row.GetAttributeValue<DateTime?>(EmergencyCall.StartedOn) ?? DateTime.MinValue,
                row.GetAttributeValue<DateTime?>(EmergencyCall.EndedOn),
                !PlatformDuties.Parse(row.GetAttributeValue<string>(EmergencyCall.LeftToPlatform)).Presence);
        }

        private static T? Aliased<T>(Entity row, string alias, string attribute) =>
            row.GetAttributeValue<AliasedValue>(alias + "." + attribute)?.Value is T value ? value : default;

        private void RecordWarning(Entity call, string warning)
        {
            _tracing.Trace("Presence: {0}", warning);
            TryWrite(call, new Entity(EmergencyCall.EntityName, call.Id)
            {
                [EmergencyCall.Warnings] = CallWarnings.Append(call.GetAttributeValue<string>(EmergencyCall.Warnings), warning),
            }, "the warning");
        }

        private void TryWrite(Entity call, Entity update, string what)
        {
            try
            {
                _system.Update(update);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                _tracing.Trace("Presence: {0} could not be written on emergency call {1} ({2}); writing it again.", what, call.Id,
                    ServiceFailures.Describe(exception));
                try
                {
                    _system.Update(update);
                }
                catch (Exception again) when (ServiceFailures.IsRecoverable(again))
                {
                    _tracing.Trace("Presence: {0} could not be written on emergency call {1}: {2}", what, call.Id, ServiceFailures.Describe(again));
                }
            }
        }

        private IReadOnlyList<Entity> ReadCallsOnce(Guid emergencyCallId, DateTime nowUtc) =>
            _system.RetrieveMultiple(BuildQuery(emergencyCallId, nowUtc)).Entities.ToList();
    }
}
