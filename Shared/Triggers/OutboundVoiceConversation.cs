using EmergencySolution.Model;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Triggers
{
    /// <summary>
    /// Tells an outbound voice conversation (msdyn_ocliveworkitem) from the others, from its own columns: 0 round trips.
    /// msdyn_channel is a multi-select of the global choice msdyn_streamsource (192370000 Voice, 192440000 Voice call);
    /// older exports carry a single value, so both shapes are read.
    /// </summary>
    internal static class OutboundVoiceConversation
    {
        public static bool IsOutboundVoice(Entity conversation)
        {
            if (conversation.GetAttributeValue<bool?>(Conversation.IsOutbound) != true)
            {
                return false;
            }

            if (!conversation.Attributes.TryGetValue(Conversation.Channel, out var channel))
            {
                return false;
            }

            switch (channel)
            {
                case OptionSetValueCollection channels:
                    foreach (var option in channels)
                    {
                        if (IsVoiceChannel(option?.Value))
                        {
                            return true;
                        }
                    }

                    return false;
                case OptionSetValue single:
                    return IsVoiceChannel(single.Value);
                default:
                    return false;
            }
        }

        private static bool IsVoiceChannel(int? value) => value == Conversation.ChannelVoice || value == Conversation.ChannelVoiceCall;
    }
}
