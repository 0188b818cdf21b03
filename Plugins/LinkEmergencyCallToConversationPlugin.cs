using EmergencySolution.Runtime;
using EmergencySolution.Triggers;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// msdyn_ocliveworkitem Create, PostOperation, asynchronous: links the emergency call to its new outbound voice
    /// conversation after the conversation is committed (<see cref="OutboundVoiceConversation.LinkEmergencyCallAfterCommit"/>).
    /// </summary>
    public sealed class LinkEmergencyCallToConversationPlugin : PluginBase
    {
        /// <summary>The step's post image (subject, agent, direction, channel of the stored conversation).</summary>
        public const string PostImageAlias = OutboundVoiceConversation.PostImageAlias;

        /// <summary>What the synchronous check hands over: the emergency call to link (a Guid as string).</summary>
        public const string EmergencyCallSharedVariable = OutboundVoiceConversation.EmergencyCallSharedVariable;

        public LinkEmergencyCallToConversationPlugin()
        {
        }

        public LinkEmergencyCallToConversationPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) => OutboundVoiceConversation.LinkEmergencyCallAfterCommit(context);
    }
}
