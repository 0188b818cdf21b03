using System;
using EmergencySolution.Lifecycle;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// phonecall, msdyn_transcript and msdyn_ocrecording Create, PreValidation, synchronous: refuses a row that belongs
    /// to an emergency call (<see cref="CallHistoryGuard"/>), so nothing of an emergency call is stored as call history.
    /// PreValidation because it runs before the transaction opens: a refused row costs the database nothing.
    /// </summary>
    /// <remarks>
    /// Public because the platform registers only public plugin types; the work sits in a nested
    /// <see cref="PluginBase"/> (internal, shared source) that holds nothing but immutable configuration.
    /// Reads run as SYSTEM: whoever writes call history (an agent, the voice service) need not read our pool.
    /// </remarks>
    public sealed class CallHistoryGuardPlugin : IPlugin
    {
        private readonly Pipeline _pipeline;

        public CallHistoryGuardPlugin()
            : this(null, null)
        {
        }

        public CallHistoryGuardPlugin(string? unsecureConfiguration, string? secureConfiguration)
        {
            _pipeline = new Pipeline(unsecureConfiguration, secureConfiguration);
        }

        public void Execute(IServiceProvider serviceProvider) => _pipeline.Execute(serviceProvider);

        private sealed class Pipeline : PluginBase
        {
            public Pipeline(string? unsecureConfiguration, string? secureConfiguration)
                : base(unsecureConfiguration, secureConfiguration)
            {
            }

            protected override void ExecuteCore(LocalPluginContext context)
            {
                var execution = context.ExecutionContext;
                if (!execution.InputParameters.Contains("Target") || !(execution.InputParameters["Target"] is Entity target))
                {
                    return;
                }

                var reason = new CallHistoryGuard(context.SystemService).FindEmergencyReason(target, LifecycleClock.UtcNow(execution));
                if (reason == null)
                {
                    return;
                }

                // The reason names no number; it is safe in the trace and in the caller's error.
                context.Trace("CallHistoryGuard: {0} refused because {1}.", target.LogicalName, reason);
                throw new InvalidPluginExecutionException("This " + target.LogicalName + " row is not stored because " + reason +
                    ". Emergency calls leave no call history (no phone call activity, transcript or recording).");
            }
        }
    }
}
