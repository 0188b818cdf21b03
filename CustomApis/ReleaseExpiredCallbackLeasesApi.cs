using System;
using EmergencySolution.CustomApis.Lifecycle;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.CustomApis
{
    /// <summary>
    /// emc_ReleaseExpiredCallbackLeases (action, main operation stage 30): the documented clean-up message, run on a
    /// schedule by an admin flow. Writes run as SYSTEM because call rows belong to many agents; the API itself needs
    /// prvWriteemc_callbacknumber, which only the Emergency Calling Administrator role holds.
    /// </summary>
    /// <remarks>
    /// Public because the platform registers only public plugin types; the work sits in a nested
    /// <see cref="PluginBase"/> (internal, shared source) that holds nothing but immutable configuration.
    /// </remarks>
    public sealed class ReleaseExpiredCallbackLeasesApi : IPlugin
    {
        private readonly Pipeline _pipeline;

        public ReleaseExpiredCallbackLeasesApi()
            : this(null, null)
        {
        }

        public ReleaseExpiredCallbackLeasesApi(string? unsecureConfiguration, string? secureConfiguration)
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
                var released = new ExpiredLeaseReleaser(context.SystemService, context.TracingService)
                    .Release(LifecycleClock.UtcNow(execution));
                execution.OutputParameters[ParameterNames.ReleasedCount] = released;
            }
        }
    }
}
