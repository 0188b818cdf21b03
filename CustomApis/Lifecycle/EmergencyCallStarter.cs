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
    /// Starts an emergency call: the call row, Do-not-disturb presence, a leased callback number and the queued
    /// notification, in at most 8 round trips on the uncontended path. Nothing here may stop the call: every
    /// ancillary failure becomes a warning on the call and in the response.
    /// </summary>
    /// <remarks>
    /// Reads and the pool/presence writes run as SYSTEM: the agent holds no privilege on the callback pool, on other
    /// agents' call rows or on msdyn_agentstatus rows written by the presence service. The API itself is guarded by
    /// executeprivilegename prvCreateemc_emergencycall, so only an Emergency Calling Agent gets this far, and the
    /// call row is owned by the agent.
    /// </remarks>
    internal sealed class EmergencyCallStarter
    {
        /// <summary>Free numbers fetched per pool query; a conflict moves to the next one without another read.</summary>
        public const int CandidatesPerQuery = 5;

        /// <summary>Pool queries per start at most: bounded so that a storm of conflicts cannot hold the call.</summary>
        public const int MaxPoolQueries = 3;

        /// <summary>The platform's ConcurrencyVersionMismatch error code (row version changed since it was read).</summary>
        public const int ConcurrencyVersionMismatch = unchecked((int)0x80060882);

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
            var configuration = EmergencyConfiguration.Load(_system, _tracing);
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
            var agent = AgentSnapshot.Load(_system, agentId);
            if (!agent.Exists)
            {
                warnings.Add("The calling user was not found; presence and notification are skipped.");
            }

            var recipients = RecipientList.Normalize(agent.RecipientsRaw);
            var notificationStatus = recipients.Addresses.Count > 0
                ? NotificationStatusValue.Queued
                : NotificationStatusValue.NotConfigured;
            if (!recipients.IsValid)
            {
                warnings.Add("The agent's Emergency Call Notifications list has entries that are not email addresses; " +
                    "only the valid ones are notified.");
            }

            var priorPresence = agent.CurrentPresence;
            SetDoNotDisturb(agent, warnings, nowUtc);

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

            var lease = CreateCallWithLease(call, agentId, input, configuration, agent, nowUtc, leaseExpiresOn, warnings);

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

        private void SetDoNotDisturb(AgentSnapshot agent, List<string> warnings, DateTime nowUtc)
        {
            if (!agent.Exists)
            {
                return;
            }

            var presenceQuery = new QueryExpression(Presence.EntityName)
            {
                ColumnSet = new ColumnSet(Presence.Name),
                TopCount = 5,
            };
            presenceQuery.Criteria.AddCondition(Presence.BaseStatus, ConditionOperator.Equal, Presence.BaseStatusDoNotDisturb);
            presenceQuery.AddOrder(Presence.Name, OrderType.Ascending);

            Entity? doNotDisturb;
            try
            {
                var presences = _system.RetrieveMultiple(presenceQuery).Entities;
                // Prefer the out-of-box "Do not disturb" record when custom DND presences exist too.
                doNotDisturb = presences.FirstOrDefault(p =>
                        (p.GetAttributeValue<string>(Presence.Name) ?? string.Empty).IndexOf("not disturb", StringComparison.OrdinalIgnoreCase) >= 0)
                    ?? presences.FirstOrDefault();
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                warnings.Add("Presence was not changed: the Do-not-disturb presence could not be read (" + Describe(fault) + ").");
                return;
            }

            if (doNotDisturb == null)
            {
                warnings.Add("Presence was not changed: no presence with base status Do not disturb (192360002) exists. " +
                    "Create one in the admin center's presence settings.");
                return;
            }

            if (agent.AgentStatusId is not Guid agentStatusId)
            {
                warnings.Add("Presence was not changed: the agent has no agent status row yet (sign in to Omnichannel first).");
                return;
            }

            if (agent.CurrentPresence?.Id == doNotDisturb.Id)
            {
                return;
            }

            try
            {
                _system.Update(new Entity(AgentStatus.EntityName, agentStatusId)
                {
                    [AgentStatus.CurrentPresenceId] = new EntityReference(Presence.EntityName, doNotDisturb.Id),
                    [AgentStatus.PresenceModifiedOn] = nowUtc,
                });
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                warnings.Add("Presence could not be set to Do not disturb (" + Describe(fault) + "); set it by hand.");
            }
        }

        /// <summary>
        /// Creates the call and, in the same transaction, takes a free number for it. Each candidate is written with
        /// IfRowVersionMatches: when another start took it since we read it, the transaction faults and rolls back
        /// (the call row too) and the next candidate is tried with the same pre-assigned call id. Bounded; when the pool
        /// is exhausted or keeps conflicting, the call is created without a callback number and says so.
        /// </summary>
        private LeasedNumber? CreateCallWithLease(Entity call, Guid agentId, StartEmergencyCallInput input,
            EmergencyConfiguration configuration, AgentSnapshot agent, DateTime nowUtc, DateTime leaseExpiresOn, List<string> warnings)
        {
            var readinessAdded = false;
            var conflicts = 0;
            for (var round = 0; round < MaxPoolQueries; round++)
            {
                List<Entity> candidates;
                try
                {
                    candidates = QueryCandidates(agentId, input.CountryCode, nowUtc);
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    warnings.Add("No callback number was leased: the pool could not be read (" + Describe(fault) + ").");
                    break;
                }

                if (!readinessAdded)
                {
                    warnings.AddRange(ReadinessRules.Evaluate(agent, configuration, input.CountryCode, input.OriginNumberType,
                        candidates.Count > 0));
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
                    var number = candidate.GetAttributeValue<string>(CallbackNumber.Number);
                    var attempt = BuildLeaseTransaction(call, candidate, agentId, nowUtc, leaseExpiresOn, warnings);
                    try
                    {
                        _system.Execute(attempt);
                        _tracing.Trace("Start: leased a callback number after {0} conflict(s).", conflicts);
                        return new LeasedNumber(candidate.Id, number ?? string.Empty);
                    }
                    catch (FaultException<OrganizationServiceFault> fault) when (IsConcurrencyConflict(fault.Detail))
                    {
                        conflicts++;
                        _tracing.Trace("Start: callback candidate taken by another start (conflict {0}); trying the next.", conflicts);
                    }
                    catch (FaultException<OrganizationServiceFault> fault)
                    {
                        warnings.Add("No callback number was leased: the lease failed (" + Describe(fault) + ").");
                        CreateWithoutLease(call, warnings);
                        return null;
                    }
                }
            }

            if (conflicts > 0 && !warnings.Any(w => w.StartsWith("No callback number", StringComparison.Ordinal)))
            {
                warnings.Add("No callback number was leased: every candidate was taken by simultaneous emergency calls.");
            }

            CreateWithoutLease(call, warnings);
            return null;
        }

        private List<Entity> QueryCandidates(Guid agentId, string countryCode, DateTime nowUtc)
        {
            var query = new QueryExpression(CallbackNumber.EntityName)
            {
                ColumnSet = new ColumnSet(CallbackNumber.Number, CallbackNumber.LeaseExpiresOn, CallbackNumber.EmergencyCallId,
                    CallbackNumber.AgentId),
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

        internal static bool IsConcurrencyConflict(OrganizationServiceFault? fault)
        {
            for (var current = fault; current != null; current = current.InnerFault)
            {
                if (current.ErrorCode == ConcurrencyVersionMismatch)
                {
                    return true;
                }
            }

            return false;
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
