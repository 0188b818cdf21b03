using System;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.CustomApis
{
    /// <summary>
    /// emc_EndEmergencyCall (action, main operation stage 30): marks the call ended; the asynchronous presence step then
    /// restores the prior presence once the agent's last call has ended. Only the call's agent may end it (as the
    /// executing or the initiating user); the conversation-closed safety net ends calls through the same ender directly.
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
                null, LifecycleClock.UtcNow(execution));
            if (restored is Guid presenceId)
            {
                execution.Output(ParameterNames.RestoredPresenceId, presenceId);
            }
        }
    }
}
