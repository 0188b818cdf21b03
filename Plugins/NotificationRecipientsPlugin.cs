using System;
using EmergencySolution.Model;
using EmergencySolution.Recipients;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// systemuser Create and Update (filtered to emc_emergencycallnotificationrecipients), synchronous PreOperation:
    /// stores the "Emergency Call Notifications" list normalized, or refuses the save with every bad entry named.
    /// </summary>
    /// <remarks>
    /// PreOperation because the Target can still be changed in place there, so the normalized value is written by the
    /// save itself at no extra round trip; an exception there rolls the whole save back. 0 round trips.
    /// </remarks>
    /// <remarks>
    /// Public because the platform registers only public plugin types; the work sits in a nested
    /// <see cref="PluginBase"/> (internal, shared source) that holds nothing but immutable configuration.
    /// </remarks>
    public sealed class NotificationRecipientsPlugin : IPlugin
    {
        private readonly Pipeline _pipeline;

        public NotificationRecipientsPlugin()
            : this(null, null)
        {
        }

        public NotificationRecipientsPlugin(string? unsecureConfiguration, string? secureConfiguration)
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

            protected override void ExecuteCore(LocalPluginContext context) => NormalizeTarget(context);
        }

        private static void NormalizeTarget(LocalPluginContext context)
        {
            if (!(context.ExecutionContext.InputParameters.TryGetValue("Target", out var targetValue) && targetValue is Entity target))
            {
                return;
            }

            if (!target.Attributes.ContainsKey(SystemUser.NotificationRecipients))
            {
                // A Create without the column, or an Update registered with other filtering: nothing to check.
                return;
            }

            var raw = target.GetAttributeValue<string>(SystemUser.NotificationRecipients);
            var result = RecipientList.Normalize(raw);
            if (!result.IsValid)
            {
                // The message names entries (addresses an admin typed), never phone numbers, so it may be traced.
                context.Trace("NotificationRecipientsPlugin: refused {0} problem(s).", result.Errors.Count);
                throw new InvalidPluginExecutionException(result.DescribeErrors());
            }

            // Dataverse stores an empty text column as null; writing null makes "cleared" look the same on every path.
            target[SystemUser.NotificationRecipients] = result.Normalized.Length == 0 ? null : result.Normalized;
            context.Trace("NotificationRecipientsPlugin: stored {0} recipient(s).", result.Addresses.Count);
        }
    }
}
