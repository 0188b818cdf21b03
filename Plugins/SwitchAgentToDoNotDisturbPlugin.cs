using EmergencySolution.Presence;
using EmergencySolution.Runtime;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// emc_emergencycall Create, PostOperation, asynchronous: switches the agent of a call that emc_StartEmergencyCall
    /// started to Do not disturb (<see cref="DoNotDisturbApplier"/>). Asynchronous, so a failed presence write is
    /// recorded on the call instead of failing the start.
    /// </summary>
    public sealed class SwitchAgentToDoNotDisturbPlugin : PluginBase
    {
        public SwitchAgentToDoNotDisturbPlugin()
        {
        }

        public SwitchAgentToDoNotDisturbPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) =>
            DoNotDisturbApplier.ApplyForNewCall(context, nameof(SwitchAgentToDoNotDisturbPlugin));
    }
}
