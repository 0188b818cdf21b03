using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Recipients
{
    /// <summary>
    /// systemuser Create and Update (filtered to msdyn_emergencyemailrecipients), synchronous PreOperation:
    /// stores the "Emergency Call Notifications" list normalized (<see cref="RecipientList"/>), or refuses the save with
    /// every bad entry named.
    /// </summary>
    /// <remarks>
    /// PreOperation because the Target can still be changed in place there, so the normalized value is written by the
    /// save itself at no extra round trip; an exception there rolls the whole save back. 0 round trips.
    /// </remarks>
    internal static class RecipientsOnSave
    {
        public static void NormalizeTarget(LocalPluginContext context)
        {
            var target = context.Target;
            if (target == null || !target.Attributes.ContainsKey(SystemUser.NotificationRecipients))
            {
                // No row, or a Create without the column, or an Update registered with other filtering: nothing to check.
                return;
            }

            var raw = target.GetAttributeValue<string>(SystemUser.NotificationRecipients);
            var result = RecipientList.Normalize(raw);
            if (!result.IsValid)
            {
                // The message names entries (addresses an admin typed), never phone numbers, so it may be traced.
                context.Trace("NotificationRecipientsPlugin: refused {0} problem(s).", result.Errors.Count);
                throw new InvalidPluginExecutionException(result.DescribeErrors());
            }

            // Dataverse stores an empty text column as null; writing null makes "cleared" look the same on every path.
            target[SystemUser.NotificationRecipients] = result.Normalized.Length == 0 ? null : result.Normalized;
            context.Trace("NotificationRecipientsPlugin: stored {0} recipient(s).", result.Addresses.Count);
        }
    }
}
