using System;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.CustomApis
{
    /// <summary>
    /// emc_EndEmergencyCall (action, main operation stage 30): restores the prior presence and marks the call ended.
    /// Only the call's agent may end it (as the executing or the initiating user), or the conversation-closed safety
    /// net, for a call of the conversation being closed, whoever closed it.
    /// </summary>
    public sealed class EndEmergencyCallApi : PluginBase
    {
        public EndEmergencyCallApi()
        {
        }

        public EndEmergencyCallApi(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var callId = execution.Input<Guid>(ParameterNames.EmergencyCallId);
            var ender = new EmergencyCallEnder(context.SystemService, context.TracingService);
            var restored = ender.End(callId, new[] { execution.UserId, execution.InitiatingUserId },
                EmergencyCallEnder.ClosingConversation(execution), LifecycleClock.UtcNow(execution));
            if (restored is Guid presenceId)
            {
                execution.Output(ParameterNames.RestoredPresenceId, presenceId);
            }
        }
    }
}
