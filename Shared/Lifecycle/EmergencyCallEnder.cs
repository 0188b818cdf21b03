using System;
using System.Linq;
using EmergencySolution.Model;
using EmergencySolution.Presence;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Lifecycle
{
    /// <summary>
    /// Ends an emergency call in at most 3 round trips: one read (the call joined to the agent's status row), one
    /// write that marks it ended, one write that restores the prior presence. The callback lease is left alone on
    /// purpose: the responder may still call back until it expires. Ending an ended call reads once and writes nothing.
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

        /// <summary>
        /// The conversation whose close is the parent operation of this request (the conversation-closed safety net
        /// runs End from that pipeline), or null. Parent contexts are set by the platform, so a caller cannot claim one.
        /// </summary>
        public static Guid? ClosingConversation(IPluginExecutionContext execution)
        {
            var parent = execution.ParentContext;
            for (var level = 0; parent != null && level < 4; level++, parent = parent.ParentContext)
            {
                if (parent.MessageName == "Update" && parent.PrimaryEntityName == Conversation.EntityName && parent.PrimaryEntityId != Guid.Empty)
                {
                    return parent.PrimaryEntityId;
                }
            }

            return null;
        }

        /// <param name="callerIds">The ids that may speak for the caller (the executing and the initiating user).</param>
        /// <param name="closingConversationId">The conversation whose close triggered this request (the platform's parent
        /// context, which a caller cannot forge), or null. The safety net may end a call of that conversation whoever
        /// closed it (an agent, a supervisor, the Omnichannel service), so the agent never stays in Do not disturb.</param>
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
            AgentPresence.LinkAgentStatus(query);

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

            if (prior == null || !AgentPresence.RestorePrior(_system, call, prior.Id, nowUtc))
            {
                _tracing.Trace("End: emergency call {0} ended; no prior presence to restore.", emergencyCallId);
                return null;
            }

            _tracing.Trace("End: emergency call {0} ended; prior presence restored.", emergencyCallId);
            return prior.Id;
        }
    }
}
