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
    /// the router role reads the pool (prvReademc_callbacknumber) and, through the link to the lease holder, users
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
            var called = execution.InputParameters.Contains(ParameterNames.CalledNumber)
                ? execution.InputParameters[ParameterNames.CalledNumber] as string
                : null;
            var resolution = new EmergencyCallbackResolver(context.UserService).Resolve(called, LifecycleClock.UtcNow(execution));

            execution.OutputParameters[ParameterNames.Matched] = resolution.Matched;
            execution.OutputParameters[ParameterNames.BypassRouting] = resolution.Matched;
            if (resolution.Matched)
            {
                execution.OutputParameters[ParameterNames.Priority] = EmergencyCallbackResolver.HighestPriority;
                execution.OutputParameters[ParameterNames.AgentId] = resolution.AgentId!.Value;
                execution.OutputParameters[ParameterNames.EmergencyCallId] = resolution.EmergencyCallId!.Value;
                execution.OutputParameters[ParameterNames.ExpiresOn] = resolution.ExpiresOn!.Value;
                if (resolution.AgentEntraObjectId.HasValue)
                {
                    execution.OutputParameters[ParameterNames.AgentEntraObjectId] = resolution.AgentEntraObjectId.Value;
                }
            }

            context.Trace("Resolve: matched {0}.", resolution.Matched);
        }
    }
}
