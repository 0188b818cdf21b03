using System;
using System.Collections.Generic;
using System.Linq;
using EmergencySolution.Configuration;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Guards
{
    /// <summary>
    /// Decides whether a new phonecall, msdyn_transcript or msdyn_ocrecording row belongs to an emergency call. Such a
    /// row is refused, so nothing of an emergency call is ever stored as call history.
    /// </summary>
    /// <remarks>
    /// Runs on Create and Update (and so on Upsert, which the platform carries out as one of them) of the three tables:
    /// a row saved blank and then updated to an emergency number or conversation is refused on the Update. Numbers are
    /// read in every form a dialer or a person writes them (<see cref="EmergencyDialForms"/>: "+1 911", "1-911", "911#").
    /// Cost: 0 requests when the row itself settles it: no phone number and no conversation reference (not an
    /// emergency), or a default emergency number, or regarding an emergency call row (an emergency). Otherwise one
    /// request per remaining question, asked one at a time and stopping at the first "yes" (no batch request types):
    /// is the conversation an emergency conversation (1), is a long number an active pool number with a live lease (1),
    /// is a short number in the configured emergency list (1). At most 3. A fault propagates and the write fails: when in
    /// doubt, nothing is stored.
    /// </remarks>
    internal sealed class CallHistoryGuard
    {
        /// <summary>Emergency numbers are short codes; anything longer can only be a callback (pool) number.</summary>
        public const int MaxEmergencyNumberDigits = 6;

        private static readonly string[] PartyListAttributes = { "from", "to", "cc", "bcc" };

        private readonly IOrganizationService _system;

        public CallHistoryGuard(IOrganizationService systemService)
        {
            _system = systemService;
        }

        /// <summary>
        /// The step: refuses the Target when it belongs to an emergency call. Reads run as SYSTEM: whoever writes call
        /// history (an agent, the voice service) need not read our pool.
        /// </summary>
        public static void RefuseEmergencyHistory(LocalPluginContext context)
        {
            var target = context.Target;
            if (target == null)
            {
                return;
            }

            var reason = new CallHistoryGuard(context.SystemService).FindEmergencyReason(target, LifecycleClock.UtcNow(context.ExecutionContext));
            if (reason == null)
            {
                return;
            }

            // The reason names no number; it is safe in the trace and in the caller's error.
            context.Trace("CallHistoryGuard: {0} refused because {1}.", target.LogicalName, reason);
            throw new InvalidPluginExecutionException("This " + target.LogicalName + " row is not stored because " + reason +
                ". Emergency calls leave no call history (no phone call activity, transcript or recording).");
        }

        /// <summary>The reason the row belongs to an emergency call (safe to show and trace), or null when it does not.</summary>
        public string? FindEmergencyReason(Entity target, DateTime nowUtc)
        {
            if (target == null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            var numbers = CollectNumbers(target, out var readings);
            var conversations = CollectConversations(target, out var regardsEmergencyCall);
            if (regardsEmergencyCall)
            {
                return "it is regarding an emergency call";
            }

            if (readings.Any(reading => EmergencyConfiguration.Defaults.IsEmergencyNumberInAnyCountry(reading)))
            {
                return "its phone number is an emergency number";
            }

            // Questions that need the database, one request each, cheapest-to-decide first; the first "yes" stops.
            if (conversations.Count > 0)
            {
                var calls = new QueryExpression(EmergencyCall.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1 };
                calls.Criteria.AddCondition(EmergencyCall.ConversationId, ConditionOperator.In, conversations.Cast<object>().ToArray());
                if (_system.RetrieveMultiple(calls).Entities.Count > 0)
                {
                    return "it belongs to an emergency conversation";
                }
            }

            var longNumbers = numbers.Where(n => n.Length > MaxEmergencyNumberDigits).Select(n => "+" + n).Distinct().ToList();
            if (longNumbers.Count > 0)
            {
                // Only active numbers with a live lease are callback lines (the same rule as Start and Resolve).
                var pool = new QueryExpression(CallbackNumber.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1 };
                pool.Criteria.AddCondition(CallbackNumber.Number, ConditionOperator.In, longNumbers.Cast<object>().ToArray());
                pool.Criteria.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.GreaterThan, nowUtc);
                pool.Criteria.AddCondition(CallbackNumber.StateCode, ConditionOperator.Equal, CallbackNumber.StateActive);
                if (_system.RetrieveMultiple(pool).Entities.Count > 0)
                {
                    return "its phone number is a leased emergency callback number";
                }
            }

            var shortReadings = readings.Where(n => n.Length <= MaxEmergencyNumberDigits).ToList();
            if (shortReadings.Count > 0)
            {
                var configuration = EmergencyConfiguration.Load(_system, null);
                if (shortReadings.Any(configuration.IsEmergencyNumberInAnyCountry))
                {
                    return "its phone number is an emergency number";
                }
            }

            return null;
        }

        /// <summary>
        /// Digits of every phone number the row carries (phonecall.phonenumber and unresolved party addresses), and in
        /// <paramref name="readings"/> every short number each can mean as dialed ("+1 911" → "1911" and "911").
        /// </summary>
        private static List<string> CollectNumbers(Entity target, out List<string> readings)
        {
            var numbers = new List<string>();
            readings = new List<string>();
            AddNumber(numbers, readings, target.GetAttributeValue<string>(CallHistory.PhoneNumber));
            foreach (var attribute in PartyListAttributes)
            {
                if (target.Attributes.Contains(attribute) && target[attribute] is EntityCollection parties)
                {
                    foreach (var party in parties.Entities)
                    {
                        var address = party.GetAttributeValue<string>("addressused");
                        if (address != null && address.IndexOf('@') < 0)
                        {
                            AddNumber(numbers, readings, address);
                        }
                    }
                }
            }

            return numbers;
        }

        private static void AddNumber(List<string> numbers, List<string> readings, string? value)
        {
            var digits = EmergencyConfiguration.DigitsOnly(value);
            if (digits.Length > 0 && !numbers.Contains(digits))
            {
                numbers.Add(digits);
            }

            foreach (var reading in EmergencyDialForms.Candidates(value))
            {
                if (!readings.Contains(reading))
                {
                    readings.Add(reading);
                }
            }
        }

        private static List<Guid> CollectConversations(Entity target, out bool regardsEmergencyCall)
        {
            regardsEmergencyCall = false;
            var conversations = new List<Guid>();
            foreach (var attribute in new[]
            {
                CallHistory.RegardingObjectId, CallHistory.TranscriptConversationId, CallHistory.RecordingConversationId,
                CallHistory.RecordingTarget,
            })
            {
                var reference = target.GetAttributeValue<EntityReference>(attribute);
                if (reference == null || reference.Id == Guid.Empty)
                {
                    continue;
                }

                if (reference.LogicalName == EmergencyCall.EntityName)
                {
                    regardsEmergencyCall = true;
                }
                else if (reference.LogicalName == Conversation.EntityName && !conversations.Contains(reference.Id))
                {
                    conversations.Add(reference.Id);
                }
            }

            return conversations;
        }
    }
}
