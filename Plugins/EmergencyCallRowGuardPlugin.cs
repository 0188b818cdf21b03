using EmergencySolution.Guards;
using EmergencySolution.Runtime;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// emc_emergencycall Create and Update, PreValidation, synchronous: refuses a call row that the solution's own code
    /// did not write (<see cref="EmergencyCallWriteOrigin"/>), so an agent cannot forge a call, for themselves or in
    /// another agent's name, nor edit one. 0 round trips: the decision uses the execution context alone.
    /// PreValidation because a direct write is refused before the transaction opens.
    /// </summary>
    public sealed class EmergencyCallRowGuardPlugin : PluginBase
    {
        public EmergencyCallRowGuardPlugin()
        {
        }

        public EmergencyCallRowGuardPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) => EmergencyCallWriteOrigin.RefuseForeignWrite(context);
    }
}
