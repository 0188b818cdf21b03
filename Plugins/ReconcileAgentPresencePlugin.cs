using EmergencySolution.Guards;
using EmergencySolution.Lifecycle;
using EmergencySolution.Presence;
using EmergencySolution.Runtime;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// emc_emergencycall Create, and Update of statecode, PostOperation, asynchronous: makes the agent's presence what all
    /// their emergency calls call for (<see cref="PresenceReconciler"/>): Do not disturb while one is active, the prior
    /// presence after the last one ended, through CCaaS_ModifyAgentPresence. Asynchronous, so a failure is recorded on the
    /// call instead of failing Start or End; any order of these steps ends in the same presence.
    /// </summary>
    public sealed class ReconcileAgentPresencePlugin : PluginBase
    {
        public ReconcileAgentPresencePlugin()
        {
        }

        public ReconcileAgentPresencePlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            // A Create must come from Start (a row a client forged must never switch the agent it names); an Update of
            // state is only ever written by the solution (EmergencyCallRowGuardPlugin), and the reconciler reads the truth.
            if (execution.MessageName == "Create" && !EmergencyCallWriteOrigin.IsNewCallFromStart(context, nameof(ReconcileAgentPresencePlugin)))
            {
                return;
            }

            new PresenceReconciler(context.SystemService, context.ServiceFor, context.TracingService)
                .Reconcile(execution.PrimaryEntityId, LifecycleClock.UtcNow(execution));
        }
    }
}
