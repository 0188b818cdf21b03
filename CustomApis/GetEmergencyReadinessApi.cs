using EmergencySolution.Model;
using EmergencySolution.Readiness;
using EmergencySolution.Runtime;

namespace EmergencySolution.CustomApis
{
    /// <summary>
    /// emc_GetEmergencyReadiness (function): would an emergency call by this agent, from this country, work as Microsoft
    /// documents it? Returns Ready and one plain-words line per failed check (Checks); the work and its round-trip budget are in <see cref="ReadinessCheck"/>.
    /// </summary>
    public sealed class GetEmergencyReadinessApi : PluginBase
    {
        /// <summary>Optional input beyond the design's AgentId and CountryCode: the origin number path (not stored in Dataverse).</summary>
        public const string OriginNumberTypeParameter = ParameterNames.OriginNumberType;

        public GetEmergencyReadinessApi()
        {
        }

        public GetEmergencyReadinessApi(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) => ReadinessCheck.Run(context);
    }
}
