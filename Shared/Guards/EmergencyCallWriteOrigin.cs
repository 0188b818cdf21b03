using System;
using System.Linq;
using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Guards
{
    /// <summary>
    /// Who may write an emc_emergencycall row, decided from the execution context alone (0 round trips).
    /// </summary>
    /// <remarks>
    /// Why: the administrator role (and any role an org builds) may hold prvCreate/prvWrite emc_emergencycall, so
    /// without this check such a user could create a call row directly, even naming an agent, and the async
    /// follow-ups would then mail from that agent's mailbox and switch them to Do not disturb.
    /// <para>The solution itself writes call rows only from plugin code, never from a client, which gives two facts:</para>
    /// <list type="number">
    /// <item><b>Depth.</b> A request from a client (Web API, SDK, the UI, a cloud flow, each request of a client's
    /// ExecuteMultiple) runs at Depth 1; a write issued by plugin code runs at Depth 2 or more. Depth is set in every
    /// stage, so Depth 1 is refused outright.</item>
    /// <item><b>ParentContext.</b> The platform documents ParentContext as populated for stages 20 and 40 only ("may be
    /// populated"), so PreValidation cannot count on it. When it is there (the in-memory harness sets it in every
    /// stage; the platform sets it in 20/40 and, in practice, often in 10), the chain must contain one of the
    /// solution's own origins, listed in <see cref="IsSolutionOrigin"/>. When it is absent at Depth 2 or more, the
    /// write was made by a plugin or a workflow, which agents cannot register, and it is allowed: refusing it would
    /// risk refusing Start itself, and nothing may block an emergency call.</item>
    /// </list>
    /// </remarks>
    internal static class EmergencyCallWriteOrigin
    {
        /// <summary>Bounds the walk; the platform aborts pipelines deeper than 8 anyway.</summary>
        private const int MaxAncestors = 16;

        /// <summary>
        /// The call-row guard step (Create and Update, PreValidation): refuses a call row that the solution's own code
        /// did not write, so an agent cannot forge a call, for themselves or in another agent's name, nor edit one.
        /// </summary>
        public static void RefuseForeignWrite(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var reason = FindRefusalReason(execution, context.Target);
            if (reason == null)
            {
                return;
            }

            // The reason names no number, and the row's columns are not traced: they may hold one.
            context.Trace("EmergencyCallRowGuard: {0} of emc_emergencycall by user {1} refused (depth {2}).",
                execution.MessageName, execution.InitiatingUserId, execution.Depth);
            throw new InvalidPluginExecutionException("This emergency call row cannot be " +
                (execution.MessageName == "Create" ? "created" : "changed") + " because " + reason +
                ". To place an emergency call, use the emergency call panel (emc_StartEmergencyCall).");
        }

        /// <summary>
        /// For the asynchronous follow-ups of Start (presence, notification): true when this Create of an emergency call
        /// came from emc_StartEmergencyCall. Defence in depth behind the call-row guard: a row a client created directly
        /// must never mail from, or switch the presence of, the agent it names.
        /// </summary>
        public static bool IsNewCallFromStart(LocalPluginContext context, string stepName)
        {
            var execution = context.ExecutionContext;
            if (execution.PrimaryEntityName != EmergencyCall.EntityName || execution.PrimaryEntityId == Guid.Empty)
            {
                return false;
            }

            if (!CreatedByStart(execution))
            {
                context.Trace("{0}: emergency call {1} was not created by emc_StartEmergencyCall (depth {2}); nothing done.",
                    stepName, execution.PrimaryEntityId, execution.Depth);
                return false;
            }

            return true;
        }

        /// <summary>Null when the write comes from the solution's own code paths; otherwise why it is refused (no numbers in it).</summary>
        public static string? FindRefusalReason(IPluginExecutionContext context, Entity? target)
        {
            if (context.Depth <= 1)
            {
                return "it was written directly by a user or an application; emergency call rows are written only by emc_StartEmergencyCall, " +
                    "emc_EndEmergencyCall, emc_ReleaseExpiredCallbackLeases and the solution's own plugins";
            }

            if (context.ParentContext == null)
            {
                return null;
            }

            var hops = 0;
            for (var ancestor = context.ParentContext; ancestor != null && hops < MaxAncestors; ancestor = ancestor.ParentContext, hops++)
            {
                if (IsSolutionOrigin(ancestor, context.MessageName, target))
                {
                    return null;
                }
            }

            return "it was not written by emc_StartEmergencyCall, emc_EndEmergencyCall, emc_ReleaseExpiredCallbackLeases or the solution's own plugins";
        }

        /// <summary>
        /// Defence in depth for the async follow-ups of a new call: true when the Create they run for came from Start.
        /// Depth 1 means a client created the row directly. A missing ParentContext at Depth 2+ is accepted for the same
        /// reason as in <see cref="FindRefusalReason"/>: an async context's parent is not promised by the platform.
        /// </summary>
        public static bool CreatedByStart(IPluginExecutionContext context)
        {
            if (context.Depth <= 1)
            {
                return false;
            }

            if (context.ParentContext == null)
            {
                return true;
            }

            var hops = 0;
            for (var ancestor = context.ParentContext; ancestor != null && hops < MaxAncestors; ancestor = ancestor.ParentContext, hops++)
            {
                if (ancestor.MessageName == MessageNames.StartEmergencyCall)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The pipelines whose plugins write call rows:
        /// <list type="bullet">
        /// <item>Start, End and the clean-up (custom APIs);</item>
        /// <item>the Update of a conversation (the conversation-closed safety net ends its calls: state, status and end
        /// time only), and the Update of an emc_emergencycall (the presence step after End: warnings and prior only);</item>
        /// <item>the Create of an emc_emergencycall (the async presence and notification follow-ups update the call they
        /// run for; that Create itself passed this guard), Update only;</item>
        /// <item>the Create of a conversation (LinkEmergencyCallToConversationPlugin links the agent's unlinked call to it, or
        /// records on the call why it could not), an Update of emc_conversationid and emc_warnings only.</item>
        /// </list>
        /// </summary>
        private static bool IsSolutionOrigin(IPluginExecutionContext ancestor, string messageName, Entity? target)
        {
            switch (ancestor.MessageName)
            {
                case MessageNames.StartEmergencyCall:
                case MessageNames.EndEmergencyCall:
                case MessageNames.ReleaseExpiredCallbackLeases:
                    return true;
                case "Create" when ancestor.PrimaryEntityName == EmergencyCall.EntityName:
                    return messageName == "Update";
                case "Update" when ancestor.PrimaryEntityName == EmergencyCall.EntityName:
                    // The presence step after End: its warning, or the prior carried over from an overlapping call.
                    return messageName == "Update" && target != null
                        && target.Attributes.Keys.All(a => a == EmergencyCall.Warnings || a == EmergencyCall.PriorPresenceId || a == EmergencyCall.Id);
                case "Update" when ancestor.PrimaryEntityName == Conversation.EntityName:
                    // The conversation-closed safety net ends the calls of the closed conversation.
                    return messageName == "Update" && target != null
                        && target.Attributes.Keys.All(a => a == EmergencyCall.StateCode || a == EmergencyCall.StatusCode
                            || a == EmergencyCall.EndedOn || a == EmergencyCall.Id);
                case "Create" when ancestor.PrimaryEntityName == Conversation.EntityName:
                    return messageName == "Update" && target != null
                        && target.Attributes.Keys.All(a => a == EmergencyCall.ConversationId || a == EmergencyCall.Warnings || a == EmergencyCall.Id);
                default:
                    return false;
            }
        }
    }
}
