using System;
using EmergencySolution.Model;
using EmergencySolution.Recipients;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Readiness
{
    /// <summary>What the user save found about the agent's outbound-voice profile (for traces and tests).</summary>
    internal enum ProfileOnSave
    {
        /// <summary>Not looked at: a Create (the new user has no bookable resource yet), or an empty list (no notifications to set up).</summary>
        NotChecked,

        /// <summary>The agent's capacity profiles reach a voice outbound profile.</summary>
        Ready,

        /// <summary>The readiness line about the capacity profile was found and traced; the save went on.</summary>
        ProblemReported,

        /// <summary>The agent could not be read; traced, and the save went on.</summary>
        CouldNotRead,
    }

    /// <summary>
    /// systemuser Create and Update of "Emergency Call Notifications" (msdyn_emergencyemailrecipients), synchronous
    /// PreOperation: first the field itself (<see cref="RecipientsOnSave"/>: normalized, or the save is refused naming every
    /// bad entry), then the agent's outbound-voice profile, with the readiness check's own rule.
    /// </summary>
    /// <remarks>
    /// Only wrong input in the field refuses the save. A profile problem is not the admin's field, and the admin may be
    /// setting up recipients before the capacity profile: it is reported, never refused. A plugin cannot hand a warning to
    /// the form of a save that succeeds, so the report is a line in the plug-in trace log (the same sentence the readiness
    /// check returns), and the recipients form script shows the readiness check's answer on the User form
    /// (docs/platform.md, section 6).
    /// <para>Round trips: an invalid list, a cleared list or a Create, 0; a valid list on an existing user, 1 (the agent
    /// snapshot, the readiness check's one query, as SYSTEM). A failed read is traced and never refuses the save.</para>
    /// </remarks>
    internal static class RecipientsSaveCheck
    {
        public static ProfileOnSave Run(LocalPluginContext context)
        {
            RecipientsOnSave.NormalizeTarget(context);
            var outcome = CheckProfile(context);
            context.Trace("NotificationRecipientsPlugin: outbound voice profile {0}.", outcome);
            return outcome;
        }

        private static ProfileOnSave CheckProfile(LocalPluginContext context)
        {
            var target = context.Target;
            var isUpdate = string.Equals(context.ExecutionContext.MessageName, "Update", StringComparison.OrdinalIgnoreCase);
            if (!isUpdate || target == null || string.IsNullOrEmpty(target.GetAttributeValue<string>(SystemUser.NotificationRecipients)))
            {
                return ProfileOnSave.NotChecked;
            }

            AgentSnapshot agent;
            try
            {
                agent = AgentSnapshot.Load(context.SystemService, target.Id);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                // A read, not a write: the save goes on, and the readiness check reports the profile later.
                context.Trace("NotificationRecipientsPlugin: the profile of user {0} could not be read ({1}); the readiness check reports it.",
                    target.Id, ServiceFailures.Describe(exception));
                return ProfileOnSave.CouldNotRead;
            }

            var problem = ReadinessRules.DescribeCapacityProblem(agent);
            if (problem == null)
            {
                return ProfileOnSave.Ready;
            }

            context.Trace("NotificationRecipientsPlugin: saved, with a readiness warning: {0}", problem);
            return ProfileOnSave.ProblemReported;
        }
    }
}
