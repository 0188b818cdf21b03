using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Model
{
    /// <summary>
    /// What kind of conversation a msdyn_ocliveworkitem row is, read from the columns already at hand (no round trip).
    /// Start checks its ConversationId with it and the triggers pick their conversations with it, so both agree on which
    /// conversations are outbound voice.
    /// </summary>
    internal static class ConversationKind
    {
        /// <summary>
        /// msdyn_isoutbound is true and msdyn_channel (a multi-select choice; a single value in older rows) holds Voice
        /// (192370000) or Voice call (192440000). A row without those columns is not judged outbound voice.
        /// </summary>
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
