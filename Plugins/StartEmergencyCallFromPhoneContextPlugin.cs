using EmergencySolution.Runtime;
using EmergencySolution.Triggers;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// msdyn_ocphonecallengagementctx Create, and Update of msdyn_fromphone, msdyn_tophone or msdyn_liveworkitemid,
    /// PostOperation, asynchronous: the server trigger of an emergency call (<see cref="PhoneCallContextTrigger"/>).
    /// Asynchronous, so it can never delay or fail the platform's own write of the row.
    /// </summary>
    public sealed class StartEmergencyCallFromPhoneContextPlugin : PluginBase
    {
        public StartEmergencyCallFromPhoneContextPlugin()
        {
        }

        public StartEmergencyCallFromPhoneContextPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) => PhoneCallContextTrigger.Run(context);
    }
}
