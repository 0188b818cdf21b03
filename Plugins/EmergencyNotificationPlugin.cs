using System;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Plugins.Notification;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// emc_emergencycall Create, PostOperation, asynchronous: the follow-ups of a started emergency call that must never
    /// delay or fail it. Two steps of this type, chosen by the step's unsecure configuration:
    /// <c>notification</c> (default) sends the notification email (<see cref="EmergencyNotificationSender"/>; a call
    /// whose post-image says it was not queued costs 0 round trips), and <c>presence</c> switches the agent to Do not
    /// disturb (<see cref="DoNotDisturbApplier"/>).
    /// </summary>
    /// <remarks>
    /// Both steps do nothing for a row that was not created by emc_StartEmergencyCall
    /// (<see cref="EmergencyCallWriteOrigin.CreatedByStart"/>, 0 round trips).
    /// Public because the platform registers only public plugin types; the work sits in a nested
    /// <see cref="PluginBase"/> (internal, shared source) that holds nothing but immutable configuration.
    /// Failures are recorded on the call and never rethrown: a retried async job would send the email twice.
    /// </remarks>
    public sealed class EmergencyNotificationPlugin : IPlugin
    {
        public const string PostImageName = "PostImage";

        public const string PresenceConfiguration = "presence";

        private readonly Pipeline _pipeline;

        public EmergencyNotificationPlugin()
            : this(null, null)
        {
        }

        public EmergencyNotificationPlugin(string? unsecureConfiguration, string? secureConfiguration)
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
                if (execution.PrimaryEntityName != EmergencyCall.EntityName || execution.PrimaryEntityId == Guid.Empty)
                {
                    return;
                }

                // Defence in depth behind EmergencyCallRowGuardPlugin: a row a client created directly (not through
                // Start) must never mail from, or switch the presence of, the agent it names.
                if (!EmergencyCallWriteOrigin.CreatedByStart(execution))
                {
                    context.Trace("EmergencyNotificationPlugin: emergency call {0} was not created by emc_StartEmergencyCall (depth {1}); nothing done.",
                        execution.PrimaryEntityId, execution.Depth);
                    return;
                }

                if (string.Equals(UnsecureConfiguration?.Trim(), PresenceConfiguration, StringComparison.OrdinalIgnoreCase))
                {
                    new DoNotDisturbApplier(context.SystemService, context.TracingService)
                        .Apply(execution.PrimaryEntityId, LifecycleClock.UtcNow(execution));
                    return;
                }

                if (execution.PostEntityImages.Contains(PostImageName))
                {
                    var status = execution.PostEntityImages[PostImageName].GetAttributeValue<OptionSetValue>(EmergencyCall.NotificationStatus);
                    if (status == null || status.Value != NotificationStatusValue.Queued)
                    {
                        context.Trace("Notification: not queued for this call (status {0}); nothing to send.", status?.Value.ToString() ?? "none");
                        return;
                    }
                }

                // The initiating user is the agent who started the call (Start writes as SYSTEM on their behalf):
                // the template renders and the email goes out as them, from their mailbox.
                var sender = new EmergencyNotificationSender(context.SystemService, context.InitiatingUserService, context.TracingService);
                sender.Send(execution.PrimaryEntityId);
            }
        }
    }
}
