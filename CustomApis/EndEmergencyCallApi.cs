using System;
using EmergencySolution.CustomApis.Lifecycle;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.CustomApis
{
    /// <summary>
    /// emc_EndEmergencyCall (action, main operation stage 30): restores the prior presence and marks the call ended.
    /// Only the call's agent may end it (as the executing or the initiating user), or the conversation-closed safety
    /// net, for a call of the conversation being closed, whoever closed it.
    /// </summary>
    /// <remarks>
    /// Public because the platform registers only public plugin types; the work sits in a nested
    /// <see cref="PluginBase"/> (internal, shared source) that holds nothing but immutable configuration.
    /// </remarks>
    public sealed class EndEmergencyCallApi : IPlugin
    {
        private readonly Pipeline _pipeline;

        public EndEmergencyCallApi()
            : this(null, null)
        {
        }

        public EndEmergencyCallApi(string? unsecureConfiguration, string? secureConfiguration)
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
                var callId = execution.InputParameters.Contains(ParameterNames.EmergencyCallId) &&
                    execution.InputParameters[ParameterNames.EmergencyCallId] is Guid id ? id : Guid.Empty;
                var ender = new EmergencyCallEnder(context.SystemService, context.TracingService);
                var restored = ender.End(callId, new[] { execution.UserId, execution.InitiatingUserId },
                    ClosingConversation(execution), LifecycleClock.UtcNow(execution));
                if (restored is Guid presenceId)
                {
                    execution.OutputParameters[ParameterNames.RestoredPresenceId] = presenceId;
                }
            }

            /// <summary>
            /// The conversation whose close is the parent operation of this request (the conversation-closed safety net
            /// runs End from that pipeline), or null. Parent contexts are set by the platform, so a caller cannot claim one.
            /// </summary>
            private static Guid? ClosingConversation(IPluginExecutionContext execution)
            {
                var parent = execution.ParentContext;
                for (var level = 0; parent != null && level < 4; level++, parent = parent.ParentContext)
                {
                    if (parent.MessageName == "Update" && parent.PrimaryEntityName == Conversation.EntityName && parent.PrimaryEntityId != Guid.Empty)
                    {
                        return parent.PrimaryEntityId;
                    }
                }

                return null;
            }
        }
    }
}
