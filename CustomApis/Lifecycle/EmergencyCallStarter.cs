using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.ServiceModel;
using EmergencySolution.Configuration;
using EmergencySolution.Lifecycle;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Readiness;
using EmergencySolution.Recipients;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.CustomApis.Lifecycle
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
    /// (EmergencyNotificationPlugin, configuration "presence"), where a failure is recorded on the call.
    /// </remarks>
    /// <remarks>
    /// Reads and the pool writes run as SYSTEM: the agent holds no privilege on the callback pool, on other
    /// agents' call rows or on msdyn_agentstatus rows written by the presence service. The API itself is guarded by
    /// executeprivilegename prvCreateemc_emergencycall, so only an Emergency Calling Agent gets this far, and the
    /// call row is owned by the agent.
    /// </remarks>
    internal sealed class EmergencyCallStarter
    {
        /// <summary>Free numbers fetched per pool query; a taken one moves to the next without another query.</summary>
        public const int CandidatesPerQuery = 5;

        /// <summary>Pool queries per start at most: bounded so that a storm of simultaneous starts cannot hold the call.</summary>
        public const int MaxPoolQueries = 3;

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
                call[EmergencyCall.PriorPresenceId] = new EntityReference(Presence.EntityName, priorPresence.Id);
            }

            var lease = CreateCallWithLease(call, agentId, input, configuration, directRouting, agent, nowUtc, leaseExpiresOn, warnings);

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
        /// Creates the call together with the lease of a callback number. Each candidate is first claimed: a same-value
        /// write takes its row lock (a simultaneous start waits for our commit instead of racing us), and the row is read
        /// again under that lock. A candidate another start leased meanwhile is skipped for the next one, with no fault
        /// raised; the lease itself is then written with IfRowVersionMatches on the version read under the lock, a
        /// belt-and-braces check that can only fail if the lock did not hold, and then fails the whole start rather than
        /// give one number two holders. Bounded; an exhausted pool means a call without a callback number, and a warning.
        /// </summary>
        private LeasedNumber? CreateCallWithLease(Entity call, Guid agentId, StartEmergencyCallInput input,
            EmergencyConfiguration configuration, DirectRoutingRules directRouting, AgentSnapshot agent, DateTime nowUtc, DateTime leaseExpiresOn, List<string> warnings)
        {
            var readinessAdded = false;
            var skipped = 0;
            for (var round = 0; round < MaxPoolQueries; round++)
            {
                List<Entity> candidates;
                try
                {
                    candidates = QueryCandidates(agentId, input.CountryCode, nowUtc);
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    // A failed read does not end the transaction; the call goes on without a number.
                    warnings.Add("No callback number was leased: the pool could not be read (" + Describe(fault) + ").");
                    break;
                }

                if (!readinessAdded)
                {
                    warnings.AddRange(ReadinessRules.Evaluate(agent, configuration, input.CountryCode, input.OriginNumberType,
                        candidates.Count > 0, directRouting));
                    readinessAdded = true;
                }

                if (candidates.Count == 0)
                {
                    // Round 0: the readiness line about the empty pool already says it (and what to do).
                    if (round > 0)
                    {
                        warnings.Add("No callback number was leased: every free number for " + input.CountryCode +
                            " was taken by simultaneous emergency calls.");
                    }

                    CreateWithoutLease(call, warnings);
                    return null;
                }

                foreach (var candidate in candidates)
                {
                    var claimed = Claim(candidate);
                    if (claimed == null || !IsAvailableTo(claimed, agentId, nowUtc))
                    {
                        skipped++;
                        _tracing.Trace("Start: callback candidate taken by another start ({0} skipped); trying the next.", skipped);
                        continue;
                    }

                    _system.Execute(BuildLeaseTransaction(call, claimed, agentId, nowUtc, leaseExpiresOn, warnings));
                    _tracing.Trace("Start: callback number leased ({0} candidate(s) skipped).", skipped);
                    return new LeasedNumber(claimed.Id, claimed.GetAttributeValue<string>(CallbackNumber.Number) ?? string.Empty);
                }
            }

            warnings.Add("No callback number was leased: every candidate for " + input.CountryCode +
                " was taken by simultaneous emergency calls.");
            CreateWithoutLease(call, warnings);
            return null;
        }

        /// <summary>
        /// One round trip: a same-value write (the row lock) followed by a read of the row under that lock. Returns
        /// null when the row is gone.
        /// </summary>
        private Entity? Claim(Entity candidate)
        {
            var claim = new ExecuteMultipleRequest
            {
                Requests = new OrganizationRequestCollection
                {
                    new UpdateRequest
                    {
                        Target = new Entity(CallbackNumber.EntityName, candidate.Id)
                        {
                            [CallbackNumber.CountryCode] = candidate.GetAttributeValue<string>(CallbackNumber.CountryCode),
                        },
                    },
                    new RetrieveRequest
                    {
                        Target = new EntityReference(CallbackNumber.EntityName, candidate.Id),
                        ColumnSet = new ColumnSet(CallbackNumber.Number, CallbackNumber.CountryCode, CallbackNumber.LeaseExpiresOn,
                            CallbackNumber.EmergencyCallId, CallbackNumber.AgentId),
                    },
                },
                Settings = new ExecuteMultipleSettings { ContinueOnError = false, ReturnResponses = true },
            };
            var items = (ExecuteMultipleResponseItemCollection)_system.Execute(claim).Results["Responses"];
            var fault = items.FirstOrDefault(item => item.Fault != null)?.Fault;
            if (fault != null)
            {
                // A failed write has already ended the transaction on the platform; say why instead of carrying on.
                throw new InvalidPluginExecutionException("The callback number could not be claimed: " +
                    PhoneNumberPrivacy.Redact(fault.Message));
            }

            var read = items.FirstOrDefault(item => item.RequestIndex == 1)?.Response;
            return read != null && read.Results.Contains("Entity") ? read.Results["Entity"] as Entity : null;
        }

        /// <summary>Free, expired, or already leased to this agent (a second call keeps the number the responder has).</summary>
        internal static bool IsAvailableTo(Entity poolRow, Guid agentId, DateTime nowUtc)
        {
            var expires = poolRow.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn);
            if (!expires.HasValue || expires.Value <= nowUtc)
            {
                return true;
            }

            return poolRow.GetAttributeValue<EntityReference>(CallbackNumber.AgentId)?.Id == agentId;
        }

        private List<Entity> QueryCandidates(Guid agentId, string countryCode, DateTime nowUtc)
        {
            var query = new QueryExpression(CallbackNumber.EntityName)
            {
                ColumnSet = new ColumnSet(CallbackNumber.Number, CallbackNumber.CountryCode, CallbackNumber.LeaseExpiresOn,
                    CallbackNumber.EmergencyCallId, CallbackNumber.AgentId),
                TopCount = CandidatesPerQuery,
            };
            query.Criteria.AddCondition(CallbackNumber.CountryCode, ConditionOperator.Equal, countryCode);
            // Free (never leased), expired, or the agent's own live lease: an agent who starts a second call inside the
            // window keeps the number the responder already has, so one agent never holds two numbers while others have none.
            var free = new FilterExpression(LogicalOperator.Or);
            free.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.Null);
            free.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.LessEqual, nowUtc);
            free.AddCondition(CallbackNumber.AgentId, ConditionOperator.Equal, agentId);
            query.Criteria.AddFilter(free);
            query.AddOrder(CallbackNumber.LeaseExpiresOn, OrderType.Ascending);
            query.AddOrder(CallbackNumber.Number, OrderType.Ascending);

            var rows = _system.RetrieveMultiple(query).Entities.ToList();
            // Never-leased numbers first, then the longest-expired, then the agent's own live lease.
            return rows
                .OrderBy(row => row.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn) is DateTime expires && expires > nowUtc ? 1 : 0)
                .ThenBy(row => row.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn) ?? DateTime.MinValue)
                .ToList();
        }

        private static ExecuteTransactionRequest BuildLeaseTransaction(Entity call, Entity candidate, Guid agentId, DateTime nowUtc,
            DateTime leaseExpiresOn, List<string> warnings)
        {
            var callToCreate = new Entity(call.LogicalName, call.Id);
            foreach (var attribute in call.Attributes)
            {
                callToCreate[attribute.Key] = attribute.Value;
            }

            callToCreate[EmergencyCall.CallbackNumberId] = new EntityReference(CallbackNumber.EntityName, candidate.Id);
            callToCreate[EmergencyCall.Warnings] = JoinWarnings(warnings);

            var leaseUpdate = new Entity(CallbackNumber.EntityName, candidate.Id)
            {
                RowVersion = candidate.RowVersion,
                [CallbackNumber.EmergencyCallId] = new EntityReference(EmergencyCall.EntityName, call.Id),
                [CallbackNumber.AgentId] = new EntityReference(SystemUser.EntityName, agentId),
                [CallbackNumber.LeaseExpiresOn] = leaseExpiresOn,
            };

            var requests = new OrganizationRequestCollection
            {
                new CreateRequest { Target = callToCreate },
                new UpdateRequest { Target = leaseUpdate, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches },
            };

            // Taking over an expired lease: the previous call's numbers go now, as the design promises, in the same
            // transaction (no extra round trip).
            var previousCall = candidate.GetAttributeValue<EntityReference>(CallbackNumber.EmergencyCallId);
            var previousExpiry = candidate.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn);
            if (previousCall != null && previousExpiry.HasValue && previousExpiry.Value <= nowUtc)
            {
                requests.Add(new UpdateRequest { Target = CallNumbersCleared(previousCall.Id) });
            }

            return new ExecuteTransactionRequest { Requests = requests, ReturnResponses = false };
        }

        private void CreateWithoutLease(Entity call, List<string> warnings)
        {
            call[EmergencyCall.Warnings] = JoinWarnings(warnings);
            _system.Create(call);
        }

        internal static Entity CallNumbersCleared(Guid callId)
        {
            return new Entity(EmergencyCall.EntityName, callId)
            {
                [EmergencyCall.DialedNumber] = null,
                [EmergencyCall.CallbackNumberId] = null,
            };
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
