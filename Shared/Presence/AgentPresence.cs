using System;
using EmergencySolution.Model;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Presence
{
    /// <summary>
    /// The one place that reads and writes an agent's presence (msdyn_agentstatus.msdyn_currentpresenceid): Start's
    /// follow-up switches it to Do not disturb (<see cref="DoNotDisturbApplier"/>), End restores the prior one
    /// (<see cref="RestorePrior"/>). The agent's status row is read on a link from the emergency call, so the call and
    /// the presence cost one read together.
    /// </summary>
    internal static class AgentPresence
    {
        private const string StatusAlias = "agentstatus";

        /// <summary>Adds the agent's status row to a query of emergency calls (left outer: an agent may have none yet).</summary>
        public static void LinkAgentStatus(QueryExpression callQuery)
        {
            var status = callQuery.AddLink(AgentStatus.EntityName, EmergencyCall.AgentId, AgentStatus.AgentId, JoinOperator.LeftOuter);
            status.EntityAlias = StatusAlias;
            status.Columns = new ColumnSet(AgentStatus.Id, AgentStatus.CurrentPresenceId);
        }

        /// <summary>The agent's status row id read through <see cref="LinkAgentStatus"/>, or <see cref="Guid.Empty"/> when there is none.</summary>
        public static Guid StatusIdOf(Entity call) =>
            (call.GetAttributeValue<AliasedValue>(StatusAlias + "." + AgentStatus.Id)?.Value as Guid?) ?? Guid.Empty;

        /// <summary>The agent's current presence read through <see cref="LinkAgentStatus"/>, or null.</summary>
        public static Guid? CurrentPresenceOf(Entity call) =>
            (call.GetAttributeValue<AliasedValue>(StatusAlias + "." + AgentStatus.CurrentPresenceId)?.Value as EntityReference)?.Id;

        /// <summary>One write: the agent's current presence, stamped with the operation's time.</summary>
        public static void Set(IOrganizationService system, Guid statusId, Guid presenceId, DateTime nowUtc)
        {
            system.Update(new Entity(AgentStatus.EntityName, statusId)
            {
                [AgentStatus.CurrentPresenceId] = new EntityReference(PresenceStatus.EntityName, presenceId),
                [AgentStatus.PresenceModifiedOn] = nowUtc,
            });
        }

        /// <summary>
        /// End's restore: puts the presence recorded by Start back, with no write when it is already current. Returns
        /// false when the agent has no status row to restore it on.
        /// </summary>
        /// <remarks>
        /// Not caught: a failed write ends the transaction on the platform anyway. End then fails as a whole, the call
        /// stays active, and End (or the conversation-closed safety net) can simply be run again.
        /// </remarks>
        public static bool RestorePrior(IOrganizationService system, Entity callWithStatus, Guid priorPresenceId, DateTime nowUtc)
        {
            var statusId = StatusIdOf(callWithStatus);
            if (statusId == Guid.Empty)
            {
                return false;
            }

            if (CurrentPresenceOf(callWithStatus) != priorPresenceId)
            {
                Set(system, statusId, priorPresenceId, nowUtc);
            }

            return true;
        }
    }
}
