using EmergencySolution.Recipients;
using EmergencySolution.Runtime;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// systemuser Create and Update (filtered to msdyn_emergencyemailrecipients), synchronous PreOperation:
    /// stores the "Emergency Call Notifications" list normalized, or refuses the save with every bad entry named
    /// (<see cref="RecipientsOnSave"/>).
    /// </summary>
    public sealed class NotificationRecipientsPlugin : PluginBase
    {
        public NotificationRecipientsPlugin()
        {
        }

        public NotificationRecipientsPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) => RecipientsOnSave.NormalizeTarget(context);
    }
}
