using System;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Pool;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.CustomApis
{
    /// <summary>
    /// emc_ReleaseExpiredCallbackLeases (action, main operation stage 30): the documented clean-up message, run on a
    /// schedule by an admin flow. Writes run as SYSTEM because call rows belong to many agents; the API itself needs
    /// prvWriteemc_CallbackNumber, which only the Emergency Calling Administrator role holds.
    /// </summary>
    public sealed class ReleaseExpiredCallbackLeasesApi : PluginBase
    {
        public ReleaseExpiredCallbackLeasesApi()
        {
        }

        public ReleaseExpiredCallbackLeasesApi(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var released = new ExpiredLeaseReleaser(context.SystemService, context.TracingService)
                .Release(LifecycleClock.UtcNow(execution));
            execution.Output(ParameterNames.ReleasedCount, released);
        }
    }
}
