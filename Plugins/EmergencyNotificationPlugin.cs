using System;
using EmergencySolution.Model;
using EmergencySolution.Plugins.Notification;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// emc_emergencycall Create, PostOperation, asynchronous: sends the emergency-call notification email
    /// (<see cref="EmergencyNotificationSender"/>). Asynchronous so that it can never delay or fail the call; a call
    /// whose post-image says the notification was not queued (no recipients) costs 0 round trips.
    /// </summary>
    /// <remarks>
    /// Public because the platform registers only public plugin types; the work sits in a nested
    /// <see cref="PluginBase"/> (internal, shared source) that holds nothing but immutable configuration.
    /// Failures are recorded on the call and never rethrown: a retried async job would send the email twice.
    /// </remarks>
    public sealed class EmergencyNotificationPlugin : IPlugin
    {
        public const string PostImageName = "PostImage";

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
