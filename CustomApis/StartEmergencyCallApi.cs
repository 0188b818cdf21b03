using System;
using System.Linq;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.CustomApis
{
    /// <summary>
    /// emc_StartEmergencyCall (action, main operation stage 30). The caller is the agent; the work is in
    /// <see cref="EmergencyCallStarter"/>. Time is the platform's <c>OperationCreatedOn</c>, never the local clock.
    /// </summary>
    public sealed class StartEmergencyCallApi : PluginBase
    {
        public StartEmergencyCallApi()
        {
        }

        public StartEmergencyCallApi(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var starter = new EmergencyCallStarter(context.SystemService, context.TracingService);
            var result = starter.Start(execution.UserId, execution.InputParameters, LifecycleClock.UtcNow(execution));

            execution.Output(ParameterNames.EmergencyCallId, result.EmergencyCallId);
            execution.Output(ParameterNames.CallbackNumber, result.CallbackNumber);
            if (result.CallbackExpiresOn is DateTime expiresOn)
            {
                execution.Output(ParameterNames.CallbackExpiresOn, expiresOn);
            }

            execution.Output(ParameterNames.NotificationStatus, result.NotificationStatus);
            execution.Output(ParameterNames.Warnings, result.Warnings.ToArray());
            execution.Output(ParameterNames.CallbackPath, result.CallbackPath);
            execution.Output(ParameterNames.CallbackDetails, result.CallbackDetails);
            context.Trace("Start: emergency call {0}, notification status {1}, {2} warning(s).", result.EmergencyCallId,
                result.NotificationStatus, result.Warnings.Count);
        }
    }
}
