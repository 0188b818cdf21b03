using System;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.CustomApis
{
    /// <summary>
    /// emc_ResolveEmergencyCallback (unbound action, main operation stage 30; an action so that the phone numbers travel
    /// in the request body, never in a URL), for the Emergency Callback Router application user. Runs as the caller:
    /// the router role reads the pool (prvReademc_CallbackNumber) and, through the link to the lease holder, users
    /// (prvReadUser), nothing more. The caller's number is accepted but neither matched nor traced: responders call
    /// back from lines we cannot know.
    /// </summary>
    public sealed class ResolveEmergencyCallbackApi : PluginBase
    {
        public ResolveEmergencyCallbackApi()
        {
        }

        public ResolveEmergencyCallbackApi(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var called = execution.Input<string>(ParameterNames.CalledNumber);
            var resolution = new EmergencyCallbackResolver(context.UserService).Resolve(called, LifecycleClock.UtcNow(execution));

            execution.Output(ParameterNames.Matched, resolution.Matched);
            execution.Output(ParameterNames.BypassRouting, resolution.Matched);
            if (resolution.Matched)
            {
                execution.Output(ParameterNames.Priority, EmergencyCallbackResolver.HighestPriority);
                execution.Output(ParameterNames.AgentId, resolution.AgentId!.Value);
                execution.Output(ParameterNames.EmergencyCallId, resolution.EmergencyCallId!.Value);
                execution.Output(ParameterNames.ExpiresOn, resolution.ExpiresOn!.Value);
                if (resolution.AgentEntraObjectId.HasValue)
                {
                    execution.Output(ParameterNames.AgentEntraObjectId, resolution.AgentEntraObjectId.Value);
                }
            }

            context.Trace("Resolve: matched {0}.", resolution.Matched);
        }
    }
}
