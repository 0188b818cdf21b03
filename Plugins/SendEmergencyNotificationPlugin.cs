using EmergencySolution.Notification;
using EmergencySolution.Runtime;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// emc_emergencycall Create, PostOperation, asynchronous: sends the notification email of a call that
    /// emc_StartEmergencyCall started (<see cref="EmergencyNotificationSender"/>). Asynchronous, so it never delays or
    /// fails the call; a failure is recorded on the call.
    /// </summary>
    public sealed class SendEmergencyNotificationPlugin : PluginBase
    {
        /// <summary>The step's post image (notification status and agent of the new call).</summary>
        public const string PostImageName = EmergencyNotificationSender.PostImageName;

        public SendEmergencyNotificationPlugin()
        {
        }

        public SendEmergencyNotificationPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) =>
            EmergencyNotificationSender.SendForNewCall(context, nameof(SendEmergencyNotificationPlugin));
    }
}
