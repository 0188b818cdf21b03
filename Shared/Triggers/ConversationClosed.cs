using System;
using System.ServiceModel;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Triggers
{
    /// <summary>
    /// msdyn_ocliveworkitem Update filtered to statecode, PostOperation, asynchronous: when a conversation is closed,
    /// ends every active emergency call linked to it by executing emc_EndEmergencyCall, the same message the panel
    /// sends. A safety net for a panel that never sent End (browser closed, network gone). Asynchronous so that a
    /// failure here can never stop the conversation from closing.
    /// </summary>
    /// <remarks>
    /// Cost: 0 round trips unless the conversation became Closed; then 1 read plus one End per active call.
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
                    // SYSTEM executes on behalf of the user who closed the conversation (the initiating user); End
                    // accepts that when it is the call's agent.
                    context.SystemService.Execute(new OrganizationRequest(MessageNames.EndEmergencyCall)
                    {
                        [ParameterNames.EmergencyCallId] = call.Id,
                    });
                    context.Trace("ConversationClosed: emergency call {0} ended with its conversation.", call.Id);
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    context.Trace("ConversationClosed: emergency call {0} could not be ended: {1}", call.Id,
                        PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message));
                }
            }
        }
    }
}
