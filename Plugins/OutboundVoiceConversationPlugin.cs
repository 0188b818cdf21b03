using System;
using EmergencySolution.Model;
using EmergencySolution.Readiness;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// msdyn_ocliveworkitem Create, for outbound voice conversations only. Two synchronous steps of this one class:
    /// <list type="bullet">
    /// <item>PreOperation (20): reads the agent once. If the agent has an active emergency call without a conversation,
    /// this conversation IS that call: it is marked (subject "Emergency call") and never blocked. Otherwise a
    /// conversation from an agent whose capacity profiles are tied to no voice outbound profile is rejected before it
    /// is written, with a message that names the missing piece.</item>
    /// <item>PostOperation (40): links the emergency call to the new conversation id (only known after the write).</item>
    /// </list>
    /// Non-voice and inbound conversations cost 0 round trips; an outbound voice one costs 1 (+1 Update when it is an
    /// emergency call).
    /// </summary>
    /// <remarks>
    /// Why the subject: it is the conversation's primary name, shown wherever the conversation is listed, so the mark is
    /// visible to agents and supervisors without a schema change to a Microsoft table; overwriting it also drops any
    /// caller-derived title (such as a phone number) from an emergency conversation. The authoritative link is
    /// emc_emergencycall.emc_conversationid. Reads and the link run as SYSTEM: the conversation is created by the
    /// Omnichannel service user, and the emergency call row belongs to the agent.
    /// </remarks>
    public sealed class OutboundVoiceConversationPlugin : IPlugin
    {
        public const string EmergencyConversationSubject = "Emergency call";

        /// <summary>PreOperation → PostOperation hand-over of the emergency call to link (same pipeline, same transaction).</summary>
        public const string EmergencyCallSharedVariable = "emc_EmergencyCallId";

        private readonly Pipeline _pipeline;

        public OutboundVoiceConversationPlugin()
            : this(null, null)
        {
        }

        public OutboundVoiceConversationPlugin(string? unsecureConfiguration, string? secureConfiguration)
        {
            _pipeline = new Pipeline(unsecureConfiguration, secureConfiguration);
        }

        public void Execute(IServiceProvider serviceProvider) => _pipeline.Execute(serviceProvider);

        internal static bool IsOutboundVoice(Entity conversation)
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

        private static void Run(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            if (!(execution.InputParameters.TryGetValue("Target", out var targetValue) && targetValue is Entity conversation)
                || !IsOutboundVoice(conversation))
            {
                return;
            }

            if (execution.Stage == 40)
            {
                LinkEmergencyCall(context, conversation);
                return;
            }

            var agentId = conversation.GetAttributeValue<EntityReference>(Conversation.ActiveAgentId)?.Id ?? execution.InitiatingUserId;
            var agent = AgentSnapshot.Load(context.SystemService, agentId, true);
            if (agent.UnlinkedEmergencyCallId.HasValue)
            {
                conversation[Conversation.Subject] = EmergencyConversationSubject;
                execution.SharedVariables[EmergencyCallSharedVariable] = agent.UnlinkedEmergencyCallId.Value.ToString();
                context.Trace("OutboundVoiceConversationPlugin: conversation belongs to emergency call {0}; marked, never blocked.",
                    agent.UnlinkedEmergencyCallId.Value);
                return;
            }

            if (!agent.Exists)
            {
                // No agent to judge (an integration or SYSTEM creating the conversation without an assigned agent):
                // the guard is about agents' configuration, so it does not stand in the way of other callers.
                context.Trace("OutboundVoiceConversationPlugin: no agent user {0}; not checked.", agentId);
                return;
            }

            var problem = ReadinessRules.DescribeCapacityProblem(agent);
            if (problem != null)
            {
                context.Trace("OutboundVoiceConversationPlugin: rejected for agent {0}: no voice outbound profile.", agentId);
                throw new InvalidPluginExecutionException("This outbound voice conversation cannot start. " + problem);
            }
        }

        private static void LinkEmergencyCall(LocalPluginContext context, Entity conversation)
        {
            var execution = context.ExecutionContext;
            if (!execution.SharedVariables.TryGetValue(EmergencyCallSharedVariable, out var shared)
                || !Guid.TryParse(shared as string, out var emergencyCallId))
            {
                return;
            }

            var conversationId = execution.OutputParameters.TryGetValue("id", out var idValue) && idValue is Guid created
                ? created
                : conversation.Id;
            var link = new Entity(EmergencyCall.EntityName, emergencyCallId)
            {
                [EmergencyCall.ConversationId] = new EntityReference(Conversation.EntityName, conversationId),
            };
            // Not wrapped in a try/catch: a failed write inside the transaction dooms it on the platform whatever the
            // plugin does, so swallowing it would only hide the cause. The write is one SYSTEM update of an existing row
            // by id, and the conversation was already accepted in PreOperation.
            context.SystemService.Update(link);
            context.Trace("OutboundVoiceConversationPlugin: linked emergency call {0} to conversation {1}.", emergencyCallId, conversationId);
        }

        private sealed class Pipeline : PluginBase
        {
            public Pipeline(string? unsecureConfiguration, string? secureConfiguration)
                : base(unsecureConfiguration, secureConfiguration)
            {
            }

            protected override void ExecuteCore(LocalPluginContext context) => Run(context);
        }
    }
}
