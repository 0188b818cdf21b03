using System;
using EmergencySolution.Lifecycle;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// emc_emergencycall Create and Update, PreValidation, synchronous: refuses a call row that the solution's own code
    /// did not write (<see cref="EmergencyCallWriteOrigin"/>), so an agent cannot forge a call, for themselves or in
    /// another agent's name, nor edit one. 0 round trips: the decision uses the execution context alone.
    /// PreValidation because a direct write is refused before the transaction opens.
    /// </summary>
    /// <remarks>
    /// Public because the platform registers only public plugin types; the work sits in a nested
    /// <see cref="PluginBase"/> (internal, shared source) that holds nothing but immutable configuration.
    /// </remarks>
    public sealed class EmergencyCallRowGuardPlugin : IPlugin
    {
        private readonly Pipeline _pipeline;

        public EmergencyCallRowGuardPlugin()
            : this(null, null)
        {
        }

        public EmergencyCallRowGuardPlugin(string? unsecureConfiguration, string? secureConfiguration)
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
                var target = execution.InputParameters.Contains("Target") ? execution.InputParameters["Target"] as Entity : null;
                var reason = EmergencyCallWriteOrigin.FindRefusalReason(execution, target);
                if (reason == null)
                {
                    return;
                }

                // The reason names no number, and the row's columns are not traced: they may hold one.
                context.Trace("EmergencyCallRowGuard: {0} of emc_emergencycall by user {1} refused (depth {2}).",
                    execution.MessageName, execution.InitiatingUserId, execution.Depth);
                throw new InvalidPluginExecutionException("This emergency call row cannot be " +
                    (execution.MessageName == "Create" ? "created" : "changed") + " because " + reason +
                    ". To place an emergency call, use the emergency call panel (emc_StartEmergencyCall).");
            }
        }
    }
}
