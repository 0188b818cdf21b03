using System;
using System.Linq;
using System.ServiceModel;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Readiness;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Triggers
{
    /// <summary>
    /// msdyn_ocliveworkitem Create, for outbound voice conversations only: how a real dial meets the emergency call it
    /// belongs to. Two steps, each with its own plugin class:
    /// <list type="bullet">
    /// <item><see cref="CheckBeforeWrite"/>, PreOperation (20, synchronous, reads only): reads the agent once. If the agent has an active emergency call
    /// without a conversation, this conversation IS that call: it is marked (subject "Emergency call") and never
    /// blocked. It never refuses a conversation: an agent without a voice outbound profile is found at admin time (the
    /// readiness check) and recorded as a warning on the emergency call at call time (Start's readiness lines), because
    /// a refusal here could block an emergency call whose conversation Omnichannel creates before Start runs.</item>
    /// <item><see cref="LinkEmergencyCallAfterCommit"/>, PostOperation (40, asynchronous): links the emergency call to the new conversation id (only known after the
    /// write). It runs after the conversation is committed, so a failed link can never undo the conversation; a failure
    /// is traced and recorded on the call (emc_warnings). Running it twice changes nothing.</item>
    /// </list>
    /// Synchronous cost: non-voice and inbound 0 round trips, outbound voice 1. Asynchronous cost: 0 unless the
    /// conversation carries an emergency call, then 2 (read the call, write the link), 3 when the link fails (+ the warning).
    /// </summary>
    /// <remarks>
    /// Why no write in the synchronous part: a failed write inside the Create transaction ends the transaction whatever
    /// the plugin does (catching it only changes the error), so a synchronous link could block an emergency conversation.
    /// Why the subject: it is the conversation's primary name, shown wherever the conversation is listed, so the mark is
    /// visible to agents and supervisors without a schema change to a Microsoft table; overwriting it also drops any
    /// caller-derived title (such as a phone number) from an emergency conversation. It is set on the Target in
    /// PreOperation, so it costs no write of its own. The authoritative link is emc_emergencycall.emc_conversationid.
    /// Reads and the link run as SYSTEM: the conversation is created by the Omnichannel service user, and the
    /// emergency call row belongs to the agent.
    /// </remarks>
    internal static class OutboundVoiceConversation
    {
        public const string EmergencyConversationSubject = "Emergency call";

        /// <summary>PreOperation → asynchronous PostOperation hand-over of the emergency call to link (a Guid as string).</summary>
        public const string EmergencyCallSharedVariable = "emc_EmergencyCallId";

        /// <summary>PreOperation → asynchronous PostOperation: the agent read failed, so the async step looks for the call itself.</summary>
        public const string AgentReadFailedSharedVariable = "emc_AgentReadFailed";

        /// <summary>The post image of the asynchronous step (subject, agent, direction, channel of the stored conversation).</summary>
        public const string PostImageAlias = "PostImage";

        /// <summary>The Target when it is an outbound voice conversation; other conversations are none of these steps' business.</summary>
        private static Entity? OutboundVoiceTarget(LocalPluginContext context)
        {
            var conversation = context.Target;
            return conversation != null && ConversationKind.IsOutboundVoice(conversation) ? conversation : null;
        }

        /// <summary>PreOperation: reads only. Marks an emergency conversation; never refuses one.</summary>
        public static void CheckBeforeWrite(LocalPluginContext context)
        {
            var conversation = OutboundVoiceTarget(context);
            if (conversation == null)
            {
                return;
            }

            var execution = context.ExecutionContext;
            var agentId = AgentOf(conversation, execution);
            AgentSnapshot agent;
            try
            {
                agent = AgentSnapshot.Load(context.SystemService, agentId, true);
            }
            catch (Exception exception) when (!(exception is OutOfMemoryException))
            {
                // The one read that could tell an emergency from an ordinary conversation failed. Blocking might block an
                // emergency call, so the conversation goes through unchecked; the async step looks for the call again.
                // A failed READ does not end the transaction, so catching it here is safe.
                execution.SharedVariables[AgentReadFailedSharedVariable] = true;
                context.Trace("OutboundVoiceConversation: the agent {0} could not be read ({1}); the conversation is let through unchecked, because it may be an emergency call.",
                    agentId, PhoneNumberPrivacy.Redact(Describe(exception)));
                return;
            }

            if (agent.UnlinkedEmergencyCallId.HasValue)
            {
                conversation[Conversation.Subject] = EmergencyConversationSubject;
                execution.SharedVariables[EmergencyCallSharedVariable] = agent.UnlinkedEmergencyCallId.Value.ToString();
                context.Trace("OutboundVoiceConversation: conversation belongs to emergency call {0}; marked, never blocked, linked asynchronously.",
                    agent.UnlinkedEmergencyCallId.Value);
                return;
            }

            if (!agent.Exists)
            {
                // No agent to judge (an integration or SYSTEM creating the conversation without an assigned agent):
                // the guard is about agents' configuration, so it does not stand in the way of other callers.
                context.Trace("OutboundVoiceConversation: no agent user {0}; not checked.", agentId);
                return;
            }

            if (ReadinessRules.DescribeCapacityProblem(agent) != null)
            {
                // Never refused (issue: a refusal could block an emergency call): the readiness check reports it to admins,
                // and an emergency call by this agent carries it as a warning.
                context.Trace("OutboundVoiceConversation: agent {0} has no voice outbound profile; the conversation goes on (readiness reports it).", agentId);
            }
        }

        /// <summary>
        /// Asynchronous PostOperation: outside the conversation's transaction, so nothing here can undo the conversation.
        /// Idempotent: a call already linked to this conversation is left as it is, and a call linked to another
        /// conversation meanwhile is never overwritten.
        /// </summary>
        public static void LinkEmergencyCallAfterCommit(LocalPluginContext context)
        {
            var target = OutboundVoiceTarget(context);
            if (target == null)
            {
                return;
            }

            var execution = context.ExecutionContext;
            var stored = execution.PostEntityImages.TryGetValue(PostImageAlias, out var image) && image != null ? image : target;
            var conversationId = ConversationIdOf(execution, stored, target);
            var query = CallToLinkQuery(execution, stored);
            if (query == null)
            {
                return;
            }

            var call = ReadCallToLink(context, query, conversationId);
            if (call == null || IsAlreadyLinked(context, call, conversationId))
            {
                return;
            }

            WriteLink(context, call, conversationId);
        }

        /// <summary>
        /// One read: the emergency call this conversation belongs to, or null. A failed read fails the system job (there is
        /// no row to record it on), so it stays visible and the platform may retry it; the conversation was committed long before.
        /// </summary>
        private static Entity? ReadCallToLink(LocalPluginContext context, QueryExpression query, Guid conversationId)
        {
            Entity? call;
            try
            {
                call = context.SystemService.RetrieveMultiple(query).Entities.FirstOrDefault();
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                context.Trace("OutboundVoiceConversation: the emergency call for conversation {0} could not be read: {1}",
                    conversationId, PhoneNumberPrivacy.Redact(Describe(fault)));
                throw;
            }

            if (call == null)
            {
                context.Trace("OutboundVoiceConversation: no emergency call to link to conversation {0}.", conversationId);
            }

            return call;
        }

        /// <summary>True when the call already has a conversation: this one (a rerun) or another one (never overwritten).</summary>
        private static bool IsAlreadyLinked(LocalPluginContext context, Entity call, Guid conversationId)
        {
            var linked = call.GetAttributeValue<EntityReference>(EmergencyCall.ConversationId);
            if (linked == null)
            {
                return false;
            }

            context.Trace(linked.Id == conversationId
                    ? "OutboundVoiceConversation: emergency call {0} is already linked to conversation {1}."
                    : "OutboundVoiceConversation: emergency call {0} is already linked to another conversation; {1} is not linked.",
                call.Id, conversationId);
            return true;
        }

        /// <summary>One write: the call's conversation. A refused write is recorded on the call as a warning instead.</summary>
        private static void WriteLink(LocalPluginContext context, Entity call, Guid conversationId)
        {
            try
            {
                context.SystemService.Update(new Entity(EmergencyCall.EntityName, call.Id)
                {
                    [EmergencyCall.ConversationId] = new EntityReference(Conversation.EntityName, conversationId),
                });
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                RecordLinkFailure(context, call, conversationId, fault);
                return;
            }

            context.Trace("OutboundVoiceConversation: linked emergency call {0} to conversation {1}.", call.Id, conversationId);
        }

        /// <summary>
        /// The query for the call to link: the one PreOperation handed over, or, when PreOperation could not tell (its read
        /// failed) or marked the conversation but its hand-over did not arrive, the agent's newest active emergency call
        /// that has no conversation, as PreOperation would have found it. Null when this is no emergency conversation.
        /// </summary>
        private static QueryExpression? CallToLinkQuery(IPluginExecutionContext execution, Entity stored)
        {
            var query = new QueryExpression(EmergencyCall.EntityName)
            {
                ColumnSet = new ColumnSet(EmergencyCall.ConversationId, EmergencyCall.Warnings),
                TopCount = 1,
            };
            if (execution.SharedVariables.TryGetValue(EmergencyCallSharedVariable, out var shared) && Guid.TryParse(shared as string, out var callId))
            {
                query.Criteria.AddCondition(EmergencyCall.Id, ConditionOperator.Equal, callId);
                return query;
            }

            if (!ReadFailedBeforeWrite(execution) && stored.GetAttributeValue<string>(Conversation.Subject) != EmergencyConversationSubject)
            {
                return null;
            }

            query.Criteria.AddCondition(EmergencyCall.AgentId, ConditionOperator.Equal, AgentOf(stored, execution));
            query.Criteria.AddCondition(EmergencyCall.StateCode, ConditionOperator.Equal, EmergencyCall.StateActive);
            query.Criteria.AddCondition(EmergencyCall.ConversationId, ConditionOperator.Null);
            query.AddOrder(EmergencyCall.StartedOn, OrderType.Descending);
            return query;
        }

        private static void RecordLinkFailure(LocalPluginContext context, Entity call, Guid conversationId, FaultException<OrganizationServiceFault> linkFault)
        {
            var reason = PhoneNumberPrivacy.Redact(Describe(linkFault));
            var warning = "The call could not be linked to its conversation " + conversationId + " (" + reason + "). " +
                "The conversation was not affected. Closing that conversation will not end this call: the agent ends it from the emergency panel (or emc_EndEmergencyCall).";
            context.Trace("OutboundVoiceConversation: emergency call {0}: {1}", call.Id, warning);
            try
            {
                context.SystemService.Update(new Entity(EmergencyCall.EntityName, call.Id)
                {
                    [EmergencyCall.Warnings] = CallWarnings.Append(call.GetAttributeValue<string>(EmergencyCall.Warnings), warning),
                });
            }
            catch (FaultException<OrganizationServiceFault> warningFault)
            {
                // The call row refuses every write: the failed system job is the only record left (failed jobs are kept).
                context.Trace("OutboundVoiceConversation: the warning could not be recorded on emergency call {0}: {1}",
                    call.Id, PhoneNumberPrivacy.Redact(Describe(warningFault)));
                throw new InvalidPluginExecutionException("Emergency call " + call.Id + " could not be linked to conversation " + conversationId +
                    " and the failure could not be recorded on the call: " + reason);
            }
        }

        private static bool ReadFailedBeforeWrite(IPluginExecutionContext execution) =>
            execution.SharedVariables.TryGetValue(AgentReadFailedSharedVariable, out var failed) && failed is bool yes && yes;

        private static Guid AgentOf(Entity conversation, IPluginExecutionContext execution) =>
            conversation.GetAttributeValue<EntityReference>(Conversation.ActiveAgentId)?.Id ?? execution.InitiatingUserId;

        private static Guid ConversationIdOf(IPluginExecutionContext execution, Entity stored, Entity target)
        {
            if (execution.OutputParameters.TryGetValue("id", out var idValue) && idValue is Guid created && created != Guid.Empty)
            {
                return created;
            }

            if (stored.Id != Guid.Empty)
            {
                return stored.Id;
            }

            return execution.PrimaryEntityId != Guid.Empty ? execution.PrimaryEntityId : target.Id;
        }

        private static string Describe(Exception exception) =>
            exception is FaultException<OrganizationServiceFault> fault ? fault.Detail?.Message ?? fault.Message : exception.Message;
    }
}
