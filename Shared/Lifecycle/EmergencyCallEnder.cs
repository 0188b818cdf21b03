using System;
using System.Linq;
using EmergencySolution.Model;
using EmergencySolution.Presence;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Lifecycle
{
    /// <summary>
    /// Ends an emergency call in at most 2 round trips: one read of the call, one write that marks it ended. The callback
    /// lease is left alone on purpose: the responder may still call back until it expires. Ending an ended call reads
    /// once and writes nothing. Presence is not touched here: the Update of the call's state queues the asynchronous
    /// presence step (<see cref="PresenceReconciler"/>), which restores the prior presence once the agent's last call
    /// has ended, through Contact Center's presence API and outside this transaction.
    /// </summary>
    internal sealed class EmergencyCallEnder
    {
        private readonly IOrganizationService _system;
        private readonly ITracingService _tracing;

        public EmergencyCallEnder(IOrganizationService systemService, ITracingService tracing)
        {
            _system = systemService;
            _tracing = tracing;
        }

        /// <param name="callerIds">The ids that may speak for the caller (the executing and the initiating user).</param>
        /// <param name="closingConversationId">The conversation the conversation-closed safety net saw closed, in its own
        /// step's Target (an asynchronous PostOperation step, so no parent context is needed), or null. The safety net may
        /// end a call of that conversation whoever closed it (an agent, a supervisor, the Omnichannel service), so the
        /// agent never stays in Do not disturb. Callers of emc_EndEmergencyCall always pass null.</param>
        /// <returns>The prior presence recorded on the call (restored asynchronously after the agent's last call ends), or null.</returns>
        public Guid? End(Guid emergencyCallId, Guid[] callerIds, Guid? closingConversationId, DateTime nowUtc)
        {
            if (emergencyCallId == Guid.Empty)
            {
                throw new InvalidPluginExecutionException("EmergencyCallId is empty; pass the id that emc_StartEmergencyCall returned.");
            }

            var query = new QueryExpression(EmergencyCall.EntityName)
            {
                ColumnSet = new ColumnSet(EmergencyCall.AgentId, EmergencyCall.StateCode, EmergencyCall.PriorPresenceId,
                    EmergencyCall.ConversationId),
                TopCount = 1,
            };
            query.Criteria.AddCondition(EmergencyCall.Id, ConditionOperator.Equal, emergencyCallId);

            var call = _system.RetrieveMultiple(query).Entities.FirstOrDefault()
                ?? throw new InvalidPluginExecutionException("Emergency call " + emergencyCallId + " does not exist.");

            var agent = call.GetAttributeValue<EntityReference>(EmergencyCall.AgentId);
            var conversation = call.GetAttributeValue<EntityReference>(EmergencyCall.ConversationId);
            var endedWithItsConversation = closingConversationId.HasValue && conversation?.Id == closingConversationId.Value;
            if (!endedWithItsConversation && (agent == null || !callerIds.Contains(agent.Id)))
            {
                throw new InvalidPluginExecutionException(
                    "Only the agent who started emergency call " + emergencyCallId + " can end it.");
            }

            var prior = call.GetAttributeValue<EntityReference>(EmergencyCall.PriorPresenceId);
            var state = call.GetAttributeValue<OptionSetValue>(EmergencyCall.StateCode)?.Value ?? EmergencyCall.StateActive;
            if (state == EmergencyCall.StateEnded)
            {
                _tracing.Trace("End: emergency call {0} was already ended; nothing to do.", emergencyCallId);
                return prior?.Id;
            }

            _system.Update(new Entity(EmergencyCall.EntityName, emergencyCallId)
            {
                [EmergencyCall.StateCode] = new OptionSetValue(EmergencyCall.StateEnded),
                [EmergencyCall.StatusCode] = new OptionSetValue(EmergencyCall.StatusEnded),
                [EmergencyCall.EndedOn] = nowUtc,
            });

            _tracing.Trace("End: emergency call {0} ended; the presence step restores the prior presence after the agent's last call.", emergencyCallId);
            return prior?.Id;
        }
    }
}
