using EmergencySolution.Readiness;
using EmergencySolution.Runtime;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// systemuser Create and Update (filtered to msdyn_emergencyemailrecipients), synchronous PreOperation:
    /// stores the "Emergency Call Notifications" list normalized, or refuses the save with every bad entry named
    /// (<see cref="EmergencySolution.Recipients.RecipientsOnSave"/>), then traces any outbound-voice profile problem of the agent without refusing (<see cref="RecipientsSaveCheck"/>).
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

        protected override void ExecuteCore(LocalPluginContext context) => RecipientsSaveCheck.Run(context);
    }
}
