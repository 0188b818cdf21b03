using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.ServiceModel;
using EmergencySolution.Configuration;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Pool;
using EmergencySolution.Privacy;
using EmergencySolution.Readiness;
using EmergencySolution.Recipients;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Lifecycle
{
    /// <summary>
    /// Starts an emergency call: the call row with a leased callback number, the prior presence and the queued
    /// follow-ups, in at most 6 round trips on the uncontended path. Nothing here may stop the call: every ancillary
    /// problem becomes a warning on the call and in the response.
    /// </summary>
    /// <remarks>
    /// Dataverse ends the whole transaction when a write fails inside it, even if the plugin catches the fault
    /// ("ISV code reduced the open transaction count"). So this synchronous path issues no write that is expected to
    /// fail: a callback number is claimed pessimistically (a same-value write takes the row lock, then the row is
    /// read again under that lock) instead of by catching row-version conflicts, and Do not disturb, whose write can
    /// fail for reasons outside our control, is applied by the asynchronous follow-up step on the new call
    /// (ReconcileAgentPresencePlugin, <see cref="Presence.PresenceReconciler"/>), where a failure is recorded on the call.
    /// </remarks>
    /// <remarks>
    /// Reads and the pool writes run as SYSTEM: the agent holds no privilege on the callback pool, on other
    /// agents' call rows or on msdyn_agentstatus rows written by the presence service. The API itself is guarded by
    /// executeprivilegename prvCreateemc_emergencycall, so only an Emergency Calling Agent gets this far, and the
    /// call row is owned by the agent.
    /// </remarks>
    internal sealed class EmergencyCallStarter
    {
        private const string CallbackAlias = "callback";
        private const int MaxWarningsLength = 4000;

        private readonly IOrganizationService _system;
        private readonly ITracingService _tracing;

        public EmergencyCallStarter(IOrganizationService systemService, ITracingService tracing)
        {
            _system = systemService;
            _tracing = tracing;
        }

        public StartEmergencyCallResult Start(Guid agentId, ParameterCollection inputs, DateTime nowUtc)
        {
            // One query: the three variables and the optional direct-routing patterns (the origin-number check).
            var configuration = ReadinessQueries.LoadConfiguration(_system, _tracing, out var directRouting);
            var input = StartEmergencyCallInput.Parse(inputs, configuration);
            _tracing.Trace("Start: country {0}, dialed {1}, conversation {2}.", input.CountryCode,
                PhoneNumberPrivacy.Describe(input.DialedDigits), input.ConversationId?.ToString() ?? "none");

            if (input.ConversationId is Guid conversationId)
            {
                var existing = FindCallForConversation(agentId, conversationId);
                if (existing != null)
                {
                    _tracing.Trace("Start: conversation already has emergency call {0}; returning it.", existing.EmergencyCallId);
                    return existing;
                }
            }

            var warnings = new List<string>(configuration.ConfigurationWarnings);
            warnings.AddRange(input.Warnings);
            // A missing user is reported by the readiness rules below, with the rest.
            var agent = AgentSnapshot.Load(_system, agentId);

            var recipients = RecipientList.Normalize(agent.RecipientsRaw);
            var notificationStatus = recipients.Addresses.Count > 0
                ? NotificationStatusValue.Queued
                : NotificationStatusValue.NotConfigured;
            if (!recipients.IsValid)
            {
                warnings.Add("The agent's Emergency Call Notifications list has entries that are not email addresses; " +
                    "only the valid ones are notified.");
            }

            // Recorded now, applied by the asynchronous follow-up (see the class remarks).
            var priorPresence = agent.CurrentPresence;

            var callId = Guid.NewGuid();
            var leaseExpiresOn = nowUtc.AddMinutes(configuration.CallbackLeaseMinutes);
            var call = new Entity(EmergencyCall.EntityName, callId)
            {
                [EmergencyCall.Id] = callId,
                [EmergencyCall.Name] = "Emergency call " + input.CountryCode + " " +
                    nowUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC",
                [EmergencyCall.AgentId] = new EntityReference(SystemUser.EntityName, agentId),
                ["ownerid"] = new EntityReference(SystemUser.EntityName, agentId),
                [EmergencyCall.DialedNumber] = input.DialedDigits,
                [EmergencyCall.CountryCode] = input.CountryCode,
                [EmergencyCall.StartedOn] = nowUtc,
                // The row's numbers are cleared at this time whether or not a number was leased (see ReleaseExpiredCallbackLeases).
                [EmergencyCall.CallbackExpiresOn] = leaseExpiresOn,
                [EmergencyCall.NotificationStatus] = new OptionSetValue(notificationStatus),
            };
            if (input.ConversationId is Guid conversation)
            {
                call[EmergencyCall.ConversationId] = new EntityReference(Conversation.EntityName, conversation);
            }

            if (input.Location != null)
            {
                call[EmergencyCall.Location] = input.Location;
            }

            if (priorPresence != null)
            {
                call[EmergencyCall.PriorPresenceId] = new EntityReference(PresenceStatus.EntityName, priorPresence.Id);
            }

            var lease = CreateCallWithLease(new NewCall(call, agentId, input, nowUtc, leaseExpiresOn, warnings,
                leaseAvailable => warnings.AddRange(ReadinessRules.Evaluate(agent, configuration, input.CountryCode,
                    input.OriginNumberType, leaseAvailable, directRouting))));

            return new StartEmergencyCallResult(callId, lease?.Number ?? string.Empty, lease != null ? leaseExpiresOn : (DateTime?)null,
                notificationStatus, warnings.ToArray());
        }

        private StartEmergencyCallResult? FindCallForConversation(Guid agentId, Guid conversationId)
        {
            var query = new QueryExpression(EmergencyCall.EntityName)
            {
                ColumnSet = new ColumnSet(EmergencyCall.CallbackExpiresOn, EmergencyCall.CallbackNumberId,
                    EmergencyCall.NotificationStatus, EmergencyCall.Warnings, EmergencyCall.StartedOn),
                TopCount = 1,
            };
            query.Criteria.AddCondition(EmergencyCall.ConversationId, ConditionOperator.Equal, conversationId);
            query.Criteria.AddCondition(EmergencyCall.AgentId, ConditionOperator.Equal, agentId);
            query.AddOrder(EmergencyCall.StartedOn, OrderType.Descending);
            var link = query.AddLink(CallbackNumber.EntityName, EmergencyCall.CallbackNumberId, CallbackNumber.Id, JoinOperator.LeftOuter);
            link.EntityAlias = CallbackAlias;
            link.Columns = new ColumnSet(CallbackNumber.Number);

            var row = _system.RetrieveMultiple(query).Entities.FirstOrDefault();
            if (row == null)
            {
                return null;
            }

            var number = row.GetAttributeValue<AliasedValue>(CallbackAlias + "." + CallbackNumber.Number)?.Value as string;
            var hasLease = row.GetAttributeValue<EntityReference>(EmergencyCall.CallbackNumberId) != null && number != null;
            var warnings = (row.GetAttributeValue<string>(EmergencyCall.Warnings) ?? string.Empty)
                .Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
            return new StartEmergencyCallResult(row.Id, hasLease ? number! : string.Empty,
                hasLease ? row.GetAttributeValue<DateTime?>(EmergencyCall.CallbackExpiresOn) : null,
                row.GetAttributeValue<OptionSetValue>(EmergencyCall.NotificationStatus)?.Value ?? NotificationStatusValue.NotConfigured,
                warnings);
        }

        /// <summary>
        /// Creates the call together with the lease of a callback number. Each candidate is first claimed
        /// (<see cref="CallbackNumberPool.Claim"/>: its row lock, then a read under that lock). A candidate another start
        /// leased meanwhile is skipped for the next one, with no fault raised; the lease itself is then written in one
        /// transaction with the call row (<see cref="CallbackNumberPool.LeaseTo"/>). Bounded; an exhausted pool means a
        /// call without a callback number, and a warning.
        /// </summary>
        private LeasedNumber? CreateCallWithLease(NewCall newCall)
        {
            var pool = new CallbackNumberPool(_system);
            var readinessAdded = false;
            var skipped = 0;
            for (var round = 0; round < CallbackNumberPool.MaxPoolQueries; round++)
            {
                List<Entity> candidates;
                try
                {
                    candidates = pool.QueryCandidates(newCall.AgentId, newCall.Input.CountryCode, newCall.NowUtc);
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    // A failed read does not end the transaction; the call goes on without a number.
                    newCall.Warnings.Add("No callback number was leased: the pool could not be read (" + Describe(fault) + ").");
                    break;
                }

                if (!readinessAdded)
                {
                    newCall.AddReadinessWarnings(candidates.Count > 0);
                    readinessAdded = true;
                }

                if (candidates.Count == 0)
                {
                    // Round 0: the readiness line about the empty pool already says it (and what to do).
                    if (round > 0)
                    {
                        newCall.Warnings.Add("No callback number was leased: every free number for " + newCall.Input.CountryCode +
                            " was taken by simultaneous emergency calls.");
                    }

                    CreateWithoutLease(newCall);
                    return null;
                }

                foreach (var candidate in candidates)
                {
                    var claimed = pool.Claim(candidate);
                    if (claimed == null || !CallbackNumberPool.IsAvailableTo(claimed, newCall.AgentId, newCall.NowUtc))
                    {
                        skipped++;
                        _tracing.Trace("Start: callback candidate taken by another start ({0} skipped); trying the next.", skipped);
                        continue;
                    }

                    _system.Execute(BuildLeaseTransaction(newCall, claimed));
                    _tracing.Trace("Start: callback number leased ({0} candidate(s) skipped).", skipped);
                    return new LeasedNumber(claimed.Id, claimed.GetAttributeValue<string>(CallbackNumber.Number) ?? string.Empty);
                }
            }

            newCall.Warnings.Add("No callback number was leased: every candidate for " + newCall.Input.CountryCode +
                " was taken by simultaneous emergency calls.");
            CreateWithoutLease(newCall);
            return null;
        }

        /// <summary>The call row, its lease and (taking over an expired lease) the previous call's numbers cleared, in one transaction.</summary>
        private static ExecuteTransactionRequest BuildLeaseTransaction(NewCall newCall, Entity claimed)
        {
            var callToCreate = new Entity(newCall.Row.LogicalName, newCall.Row.Id);
            foreach (var attribute in newCall.Row.Attributes)
            {
                callToCreate[attribute.Key] = attribute.Value;
            }

            callToCreate[EmergencyCall.CallbackNumberId] = new EntityReference(CallbackNumber.EntityName, claimed.Id);
            callToCreate[EmergencyCall.Warnings] = JoinWarnings(newCall.Warnings);

            var requests = new OrganizationRequestCollection
            {
                new CreateRequest { Target = callToCreate },
                CallbackNumberPool.LeaseTo(claimed, newCall.Row.Id, newCall.AgentId, newCall.LeaseExpiresOn),
            };
            if (CallbackNumberPool.ExpiredPreviousCall(claimed, newCall.NowUtc) is Guid previousCallId)
            {
                requests.Add(new UpdateRequest { Target = CallbackNumberPool.CallNumbersCleared(previousCallId) });
            }

            return new ExecuteTransactionRequest { Requests = requests, ReturnResponses = false };
        }

        private void CreateWithoutLease(NewCall newCall)
        {
            newCall.Row[EmergencyCall.Warnings] = JoinWarnings(newCall.Warnings);
            _system.Create(newCall.Row);
        }

        private static string JoinWarnings(IEnumerable<string> warnings)
        {
            var text = string.Join("\n", warnings);
            return text.Length <= MaxWarningsLength ? text : text.Substring(0, MaxWarningsLength - 1) + "…";
        }

        private static string Describe(FaultException<OrganizationServiceFault> fault)
        {
            // Fault texts can echo request values; strip digit runs before they reach the row, response or trace.
            return PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message);
        }

        /// <summary>
        /// The call being started, as the lease loop needs it: the row to create, who and where, the clock, the lease
        /// expiry and the warnings collected so far. Readiness is evaluated once the first pool query has said whether
        /// a number is free, so that the pool is not read twice.
        /// </summary>
        private sealed class NewCall
        {
            private readonly Action<bool> _addReadinessWarnings;

            public NewCall(Entity row, Guid agentId, StartEmergencyCallInput input, DateTime nowUtc, DateTime leaseExpiresOn,
                List<string> warnings, Action<bool> addReadinessWarnings)
            {
                Row = row;
                AgentId = agentId;
                Input = input;
                NowUtc = nowUtc;
                LeaseExpiresOn = leaseExpiresOn;
                Warnings = warnings;
                _addReadinessWarnings = addReadinessWarnings;
            }

            public Entity Row { get; }

            public Guid AgentId { get; }

            public StartEmergencyCallInput Input { get; }

            public DateTime NowUtc { get; }

            public DateTime LeaseExpiresOn { get; }

            public List<string> Warnings { get; }

            public void AddReadinessWarnings(bool callbackNumberAvailable) => _addReadinessWarnings(callbackNumberAvailable);
        }

        private sealed class LeasedNumber
        {
            public LeasedNumber(Guid id, string number)
            {
                Id = id;
                Number = number;
            }

            public Guid Id { get; }

            public string Number { get; }
        }
    }

    internal sealed class StartEmergencyCallResult
    {
        public StartEmergencyCallResult(Guid emergencyCallId, string callbackNumber, DateTime? callbackExpiresOn,
            int notificationStatus, IReadOnlyList<string> warnings)
        {
            EmergencyCallId = emergencyCallId;
            CallbackNumber = callbackNumber;
            CallbackExpiresOn = callbackExpiresOn;
            NotificationStatus = notificationStatus;
            Warnings = warnings;
        }

        public Guid EmergencyCallId { get; }

        public string CallbackNumber { get; }

        public DateTime? CallbackExpiresOn { get; }

        public int NotificationStatus { get; }

        public IReadOnlyList<string> Warnings { get; }
    }
}
