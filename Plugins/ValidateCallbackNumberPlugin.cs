using EmergencySolution.Pool;
using EmergencySolution.Runtime;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// emc_callbacknumber Create and Update (of emc_number or emc_countrycode), PreOperation, synchronous: stores the
    /// number in E.164 form or refuses it, naming the value and the rule (<see cref="CallbackNumberValidation"/>). No requests.
    /// </summary>
    public sealed class ValidateCallbackNumberPlugin : PluginBase
    {
        public ValidateCallbackNumberPlugin()
        {
        }

        public ValidateCallbackNumberPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) => CallbackNumberValidation.NormalizeOrRefuse(context);
    }
}
