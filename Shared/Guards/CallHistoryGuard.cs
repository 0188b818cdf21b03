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
    /// Cost: 0 round trips when the row itself settles it: no phone number and no conversation reference (not an
    /// emergency), or a default emergency number, or regarding an emergency call row (an emergency). Otherwise exactly
    /// 1: the remaining questions (is a short number in the configured emergency list, is a long number a live leased
    /// callback number, is the conversation an emergency conversation) go out together, in one ExecuteMultiple when
    /// more than one is asked. A fault propagates and the Create fails: when in doubt, nothing is stored.
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

            var numbers = CollectNumbers(target);
            var conversations = CollectConversations(target, out var regardsEmergencyCall);
            if (regardsEmergencyCall)
            {
                return "it is regarding an emergency call";
            }

            if (numbers.Any(number => EmergencyConfiguration.Defaults.IsEmergencyNumberInAnyCountry(number)))
            {
                return "its phone number is an emergency number";
            }

            var shortNumbers = numbers.Where(n => n.Length <= MaxEmergencyNumberDigits).ToList();
            var longNumbers = numbers.Where(n => n.Length > MaxEmergencyNumberDigits).Select(n => "+" + n).Distinct().ToList();

            var questions = new List<QueryExpression>();
            var configIndex = -1;
            var poolIndex = -1;
            var conversationIndex = -1;
            if (shortNumbers.Count > 0)
            {
                configIndex = questions.Count;
                questions.Add(EmergencyConfiguration.BuildQuery());
            }

            if (longNumbers.Count > 0)
            {
                poolIndex = questions.Count;
                var pool = new QueryExpression(CallbackNumber.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1 };
                pool.Criteria.AddCondition(CallbackNumber.Number, ConditionOperator.In, longNumbers.Cast<object>().ToArray());
                pool.Criteria.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.GreaterThan, nowUtc);
                questions.Add(pool);
            }

            if (conversations.Count > 0)
            {
                conversationIndex = questions.Count;
                var calls = new QueryExpression(EmergencyCall.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1 };
                calls.Criteria.AddCondition(EmergencyCall.ConversationId, ConditionOperator.In, conversations.Cast<object>().ToArray());
                questions.Add(calls);
            }

            if (questions.Count == 0)
            {
                return null;
            }

            var answers = Ask(questions);
            if (configIndex >= 0)
            {
                var configuration = EmergencyConfiguration.FromRows(answers[configIndex].Entities, null);
                if (shortNumbers.Any(configuration.IsEmergencyNumberInAnyCountry))
                {
                    return "its phone number is an emergency number";
                }
            }

            if (poolIndex >= 0 && answers[poolIndex].Entities.Count > 0)
            {
                return "its phone number is a leased emergency callback number";
            }

            if (conversationIndex >= 0 && answers[conversationIndex].Entities.Count > 0)
            {
                return "it belongs to an emergency conversation";
            }

            return null;
        }

        private IReadOnlyList<EntityCollection> Ask(List<QueryExpression> questions)
        {
            if (questions.Count == 1)
            {
                return new[] { _system.RetrieveMultiple(questions[0]) };
            }

            var request = new ExecuteMultipleRequest
            {
                Requests = new OrganizationRequestCollection(),
                Settings = new ExecuteMultipleSettings { ContinueOnError = false, ReturnResponses = true },
            };
            request.Requests.AddRange(questions.Select(query => (OrganizationRequest)new RetrieveMultipleRequest { Query = query }));
            var items = (ExecuteMultipleResponseItemCollection)_system.Execute(request).Results["Responses"];
            var answers = new EntityCollection[questions.Count];
            foreach (var item in items)
            {
                if (item.Fault != null)
                {
                    throw new InvalidPluginExecutionException("The call-history guard could not check the row: " +
                        PhoneNumberPrivacy.Redact(item.Fault.Message));
                }

                answers[item.RequestIndex] = (EntityCollection)item.Response.Results["EntityCollection"];
            }

            for (var index = 0; index < answers.Length; index++)
            {
                if (answers[index] == null)
                {
                    throw new InvalidPluginExecutionException("The call-history guard could not check the row: a check got no answer.");
                }
            }

            return answers;
        }

        /// <summary>Digits of every phone number the row carries: phonecall.phonenumber and unresolved party addresses.</summary>
        private static List<string> CollectNumbers(Entity target)
        {
            var numbers = new List<string>();
            AddNumber(numbers, target.GetAttributeValue<string>(CallHistory.PhoneNumber));
            foreach (var attribute in PartyListAttributes)
            {
                if (target.Attributes.Contains(attribute) && target[attribute] is EntityCollection parties)
                {
                    foreach (var party in parties.Entities)
                    {
                        var address = party.GetAttributeValue<string>("addressused");
                        if (address != null && address.IndexOf('@') < 0)
                        {
                            AddNumber(numbers, address);
                        }
                    }
                }
            }

            return numbers;
        }

        private static void AddNumber(List<string> numbers, string? value)
        {
            var digits = EmergencyConfiguration.DigitsOnly(value);
            if (digits.Length > 0 && !numbers.Contains(digits))
            {
                numbers.Add(digits);
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
