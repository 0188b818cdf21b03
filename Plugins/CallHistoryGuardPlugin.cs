using EmergencySolution.Guards;
using EmergencySolution.Runtime;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// phonecall, msdyn_transcript and msdyn_ocrecording Create, PreValidation, synchronous: refuses a row that belongs
    /// to an emergency call (<see cref="CallHistoryGuard"/>), so nothing of an emergency call is stored as call history.
    /// PreValidation because it runs before the transaction opens: a refused row costs the database nothing.
    /// </summary>
    public sealed class CallHistoryGuardPlugin : PluginBase
    {
        public CallHistoryGuardPlugin()
        {
        }

        public CallHistoryGuardPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) => CallHistoryGuard.RefuseEmergencyHistory(context);
    }
}
