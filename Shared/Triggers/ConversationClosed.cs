using System;
using System.ServiceModel;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Triggers
{
    /// <summary>
    /// msdyn_ocliveworkitem Update filtered to statecode, PostOperation, asynchronous: when a conversation is closed,
    /// ends every active emergency call linked to it with the same <see cref="EmergencyCallEnder"/> that
    /// emc_EndEmergencyCall runs. A safety net for a panel that never sent End (browser closed, network gone), whoever
    /// closed the conversation (the agent, a supervisor, the Omnichannel service). Asynchronous so that a failure here
    /// can never stop the conversation from closing.
    /// </summary>
    /// <remarks>
    /// The closed conversation is this step's own Target, so nothing relies on ParentContext, which Microsoft documents
    /// for stages 20 and 40 only. Cost: 0 round trips unless the conversation became Closed; then 1 read plus, per active
    /// call, 1 read and 1 write (the presence is restored by the asynchronous presence step the write queues).
    /// </remarks>
    internal static class ConversationClosed
    {
        public static void EndItsEmergencyCalls(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var target = context.Target;
            if (target == null)
            {
                return;
            }

            var state = target.GetAttributeValue<OptionSetValue>(Conversation.StateCode);
            if (state == null || state.Value != Conversation.StateClosed)
            {
                return;
            }

            var conversationId = target.Id != Guid.Empty ? target.Id : execution.PrimaryEntityId;
            var query = new QueryExpression(EmergencyCall.EntityName) { ColumnSet = new ColumnSet(false) };
            query.Criteria.AddCondition(EmergencyCall.ConversationId, ConditionOperator.Equal, conversationId);
            query.Criteria.AddCondition(EmergencyCall.StateCode, ConditionOperator.Equal, EmergencyCall.StateActive);
            var calls = context.SystemService.RetrieveMultiple(query).Entities;

            foreach (var call in calls)
            {
                try
                {
                    new EmergencyCallEnder(context.SystemService, context.TracingService)
                        .End(call.Id, Array.Empty<Guid>(), conversationId, LifecycleClock.UtcNow(execution));
                    context.Trace("ConversationClosed: emergency call {0} ended with its conversation.", call.Id);
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    context.Trace("ConversationClosed: emergency call {0} could not be ended: {1}", call.Id,
                        PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message));
                }
                catch (InvalidPluginExecutionException exception)
                {
                    context.Trace("ConversationClosed: emergency call {0} could not be ended: {1}", call.Id,
                        PhoneNumberPrivacy.Redact(exception.Message));
                }
            }
        }
    }
}
