using EmergencySolution.Runtime;
using EmergencySolution.Triggers;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// msdyn_ocliveworkitem Create, PreOperation, synchronous, reads only: marks an outbound voice conversation that
    /// carries the agent's active emergency call (never blocks it), else rejects one from an agent with no voice outbound
    /// profile (<see cref="OutboundVoiceConversation.CheckBeforeWrite"/>).
    /// </summary>
    public sealed class CheckOutboundVoiceConversationPlugin : PluginBase
    {
        public CheckOutboundVoiceConversationPlugin()
        {
        }

        public CheckOutboundVoiceConversationPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) => OutboundVoiceConversation.CheckBeforeWrite(context);
    }
}
