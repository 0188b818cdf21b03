using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EmergencySolution.Configuration;
using EmergencySolution.Model;
using EmergencySolution.Pool;
using EmergencySolution.Privacy;
using EmergencySolution.Readiness;
using EmergencySolution.Recipients;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Lifecycle
{
    /// <summary>
    /// Starts an emergency call: the call row with a leased callback number, the prior presence and the queued
    /// follow-ups. Nothing here may stop the call: every ancillary problem becomes a warning on the call and in the
    /// response, and every read that fails or times out falls back.
    /// </summary>
    /// <remarks>
    /// <para>Requests, one at a time (no batch request types), each with its reason:</para>
    /// <list type="number">
    /// <item>the configuration (the three variables and the direct-routing patterns, one query); falls back to the
    /// shipped defaults with a warning;</item>
    /// <item>the look-up: the call this IdempotencyKey or ConversationId already made, the agent's recent calls (the
    /// throttle) and, on a link, the agent's own live lease; skipped with a warning when it fails (no idempotency
    /// look-up, and the pool query then looks for the own lease itself);</item>
    /// <item>the agent (one query: recipients, presence, capacity, mailbox); falls back to an empty snapshot with a
    /// warning (prerequisites unchecked, prior presence unknown, the notification step reads the recipients itself);</item>
    /// <item>only with a ConversationId that the look-up did not match: the conversation (exists, outbound voice, the
    /// caller's); an id that fails the check, or cannot be checked, is ignored with a warning;</item>
    /// <item>the pool (<see cref="CallbackNumberPool"/>): the own lease claimed again (2: the row lock and the read under
    /// it), or a candidate query (1) and a claim (2) per candidate tried;</item>
    /// <item>the call row (Create);</item>
    /// <item>the lease (Update with IfRowVersionMatches), when a number was claimed.</item>
    /// </list>
    /// <para>So 8 requests on the uncontended path with a free number (7 when the agent's own lease is renewed, 5 with
    /// no number to lease), +1 with a new ConversationId, +2 per candidate another start took first. A start that names
    /// the conversation of the agent's still unlinked manual start takes that call over instead: the look-up, the
    /// agent, the conversation and one Update of the call, nothing leased or sent again.</para>
    /// <para>Dataverse ends the whole transaction when a write fails inside it, even if the plugin catches the fault
    /// ("ISV code reduced the open transaction count"). So writes are never caught here: a failed write fails the start
    /// as a whole, nothing of it is kept, and the sender retries with the same IdempotencyKey, which becomes the call's
    /// row id, so the retry makes the one call. Reads are caught: a failed read does not end the transaction.</para>
    /// <para>Reads and the pool writes run as SYSTEM: the agent holds no privilege on the callback pool, on other
    /// agents' call rows or on presence rows. The API has no execute privilege, so a missing role never blocks an
    /// emergency call (docs/security.md): a start is always the caller's own, the call row is owned by the caller, and
    /// starts without a real call are throttled.</para>
    /// </remarks>
    internal sealed class EmergencyCallStarter
    {
        /// <summary>Starts without a real call (no verified conversation) counted per agent within this window.</summary>
        public static readonly TimeSpan ThrottleWindow = TimeSpan.FromMinutes(10);

        /// <summary>From this many starts without a real call in the window on, the recipients are not notified again.</summary>
        public const int NotificationsWithoutACallPerWindow = 3;

        private const string CallbackAlias = "callback";
        private const int MaxLookUpRows = 50;

        private readonly IOrganizationService _system;
        private readonly ITracingService _tracing;

        public EmergencyCallStarter(IOrganizationService systemService, ITracingService tracing)
        {
            _system = systemService;
            _tracing = tracing;
        }

        public StartEmergencyCallResult Start(Guid agentId, ParameterCollection inputs, DateTime nowUtc)
        {
            var warnings = new List<string>();
            var configuration = LoadConfiguration(warnings, out var directRouting, out var platform);
            var input = StartEmergencyCallInput.Parse(inputs, configuration);
            warnings.AddRange(configuration.ConfigurationWarnings);
            warnings.AddRange(platform.Problems);
            warnings.AddRange(input.Warnings);
            // The origin path decides what may be promised about the callback, and whether a pool number is leased at all.
            var promise = CallbackPromise.Decide(input.OriginNumberType, directRouting, configuration, input.CountryCode,
                platform.CarrierPresentsPoolNumbers, platform.Duties);
            TraceInput(input);

            var lookUp = LookUp(agentId, input, nowUtc, warnings);
            if (lookUp.Existing != null)
            {
                _tracing.Trace("Start: this dial already made emergency call {0}; returning it.", lookUp.Existing.Id);
                return ResultFrom(lookUp.Existing, Array.Empty<string>());
            }

            var callId = NewCallId(input.IdempotencyKey, lookUp, warnings);
            var agent = LoadAgent(agentId, warnings);
            var conversationId = CheckConversation(agentId, input.ConversationId, lookUp, warnings);

            if (lookUp.ActiveCallWithoutConversation is { } unlinked)
            {
                return conversationId is Guid conversation ? TakeOverUnlinkedCall(unlinked, conversation) : Throttled(unlinked);
            }

            var notificationStatus = LeftToPlatformWhenItEmails(DecideNotification(agent, lookUp, conversationId, warnings), promise);

            var leaseExpiresOn = nowUtc.AddMinutes(configuration.CallbackLeaseMinutes);
            var call = NewCallRow(callId, agentId, input, conversationId, agent, nowUtc, leaseExpiresOn, notificationStatus);

            var pool = new CallbackNumberPool(_system, _tracing);
            var claim = ClaimCallbackNumber(pool, agentId, input, promise, lookUp, nowUtc, warnings);
            if (agent.Exists)
            {
                warnings.AddRange(ReadinessRules.Evaluate(agent, configuration, input.CountryCode, input.OriginNumberType,
                    claim.PoolHasNumber(promise.LeasePoolNumber), directRouting));
            }

            if (claim.Number != null)
            {
                call[EmergencyCall.CallbackNumberId] = new EntityReference(CallbackNumber.EntityName, claim.Number.Id);
            }

            promise.WriteTo(call, leased: claim.Number != null);
            call[EmergencyCall.Warnings] = CallWarnings.Join(warnings);
            _system.Create(call);
            if (claim.Number != null)
            {
                pool.WriteLease(claim.Number, callId, agentId, leaseExpiresOn);
                _tracing.Trace("Start: callback number {0}.", claim.Number.RenewsOwnLease ? "lease renewed" : "leased");
            }

            return new StartEmergencyCallResult(callId, claim.Number?.Number ?? string.Empty,
                claim.Number != null ? leaseExpiresOn : (DateTime?)null, notificationStatus, warnings.ToArray(),
                promise.CallbackPath(claim.Number != null), promise.Describe(claim.Number != null));
        }

        private void TraceInput(StartEmergencyCallInput input) =>
            _tracing.Trace("Start: country {0}, dialed {1}, conversation {2}, key {3}.", input.CountryCode.Length > 0 ? input.CountryCode : "(none)",
                PhoneNumberPrivacy.Describe(input.DialedDigits), input.ConversationId?.ToString() ?? "none", input.IdempotencyKey.HasValue ? "given" : "none");

        /// <summary>The row id: the sender's IdempotencyKey, or a new id when there is none or it names another agent's call.</summary>
        private static Guid NewCallId(Guid? idempotencyKey, LookUpResult lookUp, List<string> warnings)
        {
            if (lookUp.KeyTakenByAnotherAgent)
            {
                warnings.Add("The IdempotencyKey names another agent's emergency call; it was ignored and this call got a new id.");
                return Guid.NewGuid();
            }

            return idempotencyKey ?? Guid.NewGuid();
        }

        /// <summary>Beside the built-in feature: on a Microsoft number the platform emails the same recipients; no second email.</summary>
        private static int LeftToPlatformWhenItEmails(int notificationStatus, CallbackPromise promise) =>
            notificationStatus == NotificationStatusValue.Queued && promise.PlatformDuties.Email ? NotificationStatusValue.LeftToPlatform : notificationStatus;

        /// <summary>
        /// Throttled, never refused: a start without a real call, while the agent's last such call is still active, answers
        /// that call (its row, its callback number) instead of making another row, lease and email.
        /// </summary>
        /// <summary>
        /// The agent pressed the panel's manual start before Omnichannel created the conversation, and now a start names
        /// the conversation (the dial watcher, or the server trigger): it is the same emergency, so that call gets the
        /// conversation (+1 write) and is returned, rather than a second call being made before the asynchronous link
        /// step would have linked it.
        /// </summary>
        private StartEmergencyCallResult TakeOverUnlinkedCall(Entity unlinked, Guid conversationId)
        {
            var conversation = new EntityReference(Conversation.EntityName, conversationId);
            _system.Update(new Entity(EmergencyCall.EntityName, unlinked.Id) { [EmergencyCall.ConversationId] = conversation });
            unlinked[EmergencyCall.ConversationId] = conversation;
            _tracing.Trace("Start: the agent's manual start {0} takes this conversation; no second call.", unlinked.Id);
            return ResultFrom(unlinked, Array.Empty<string>());
        }

        private StartEmergencyCallResult Throttled(Entity active)
        {
            _tracing.Trace("Start: throttled; the agent's active emergency call {0} without a conversation is returned.", active.Id);
            return ResultFrom(active, new[]
            {
                "Throttled: emergency call " + active.Id + ", started " + FormatTime(active.GetAttributeValue<DateTime?>(EmergencyCall.StartedOn)) +
                " without a conversation, is still active, so this start returns it (same callback number, no second email).",
            });
        }

        private static PoolClaim ClaimCallbackNumber(CallbackNumberPool pool, Guid agentId, StartEmergencyCallInput input, CallbackPromise promise,
            LookUpResult lookUp, DateTime nowUtc, List<string> warnings)
        {
            // No pool number where the responder would never see it (a Microsoft number), or where nobody has said the carrier
            // presents it (an unknown path): the pool is not even read.
            return input.CountryCode.Length > 0 && promise.LeasePoolNumber
                ? pool.Claim(agentId, input.CountryCode, lookUp.OwnLease(input.CountryCode), lookUp.Succeeded, nowUtc, warnings)
                : new PoolClaim(null, null);
        }

        private EmergencyConfiguration LoadConfiguration(List<string> warnings, out DirectRoutingRules directRouting, out PlatformSettings platform)
        {
            try
            {
                // One query: the three variables, the optional direct-routing patterns (the origin-number check) and the
                // admin's statements about the platform (PlatformSettings).
                return ReadinessQueries.LoadConfiguration(_system, _tracing, out directRouting, out platform);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                directRouting = DirectRoutingRules.None;
                platform = PlatformSettings.Defaults;
                warnings.Add("The solution's settings could not be read (" + ServiceFailures.Describe(exception) +
                    "); the shipped defaults were used (emergency numbers, a 60-minute callback window, the shipped email template).");
                return EmergencyConfiguration.Defaults;
            }
        }

        private AgentSnapshot LoadAgent(Guid agentId, List<string> warnings)
        {
            try
            {
                return AgentSnapshot.Load(_system, agentId);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                warnings.Add("The agent's settings could not be read (" + ServiceFailures.Describe(exception) +
                    "); the prerequisites were not checked and the presence before the call is unknown.");
                return AgentSnapshot.FromRows(agentId, Array.Empty<Entity>());
            }
        }

        /// <summary>
        /// One query for three questions: did this dial already make a call (its IdempotencyKey, or the agent's call on
        /// this ConversationId)? Which calls did the agent start lately (the throttle)? Which live lease does the agent
        /// hold (on the link to each call's number)?
        /// </summary>
        private LookUpResult LookUp(Guid agentId, StartEmergencyCallInput input, DateTime nowUtc, List<string> warnings)
        {
            var query = new QueryExpression(EmergencyCall.EntityName)
            {
                ColumnSet = new ColumnSet(EmergencyCall.AgentId, EmergencyCall.ConversationId, EmergencyCall.StateCode,
                    EmergencyCall.StartedOn, EmergencyCall.CallbackNumberId, EmergencyCall.CallbackExpiresOn,
                    EmergencyCall.NotificationStatus, EmergencyCall.Warnings, EmergencyCall.OriginPath, EmergencyCall.CallbackDetails),
                TopCount = MaxLookUpRows,
            };
            query.Criteria.FilterOperator = LogicalOperator.Or;
            if (input.IdempotencyKey is Guid key)
            {
                query.Criteria.AddCondition(EmergencyCall.Id, ConditionOperator.Equal, key);
            }

            var mine = new FilterExpression(LogicalOperator.And);
            mine.AddCondition(EmergencyCall.AgentId, ConditionOperator.Equal, agentId);
            var which = new FilterExpression(LogicalOperator.Or);
            if (input.ConversationId is Guid conversation)
            {
                which.AddCondition(EmergencyCall.ConversationId, ConditionOperator.Equal, conversation);
            }

            which.AddCondition(EmergencyCall.StartedOn, ConditionOperator.GreaterEqual, nowUtc - ThrottleWindow);
            which.AddCondition(EmergencyCall.CallbackExpiresOn, ConditionOperator.GreaterThan, nowUtc);
            mine.AddFilter(which);
            query.Criteria.AddFilter(mine);
            query.AddOrder(EmergencyCall.StartedOn, OrderType.Descending);
            var link = query.AddLink(CallbackNumber.EntityName, EmergencyCall.CallbackNumberId, CallbackNumber.Id, JoinOperator.LeftOuter);
            link.EntityAlias = CallbackAlias;
            link.Columns = new ColumnSet(CallbackNumber.Number, CallbackNumber.CountryCode, CallbackNumber.AgentId,
                CallbackNumber.LeaseExpiresOn, CallbackNumber.StateCode);

            IList<Entity> rows;
            try
            {
                rows = _system.RetrieveMultiple(query).Entities;
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                warnings.Add("Earlier emergency calls could not be looked up (" + ServiceFailures.Describe(exception) +
                    "); this start was not checked against a previous attempt of the same dial.");
                return LookUpResult.Failed;
            }

            return new LookUpResult(rows, agentId, input, nowUtc);
        }

        /// <summary>
        /// The ConversationId is kept only when the conversation exists, is an outbound voice conversation and is the
        /// caller's (its active agent). Otherwise it is ignored with a warning and the call goes on without it: an id
        /// names the conversation whose transcripts and recordings the guards refuse, so an agent may not name anyone's.
        /// </summary>
        private Guid? CheckConversation(Guid agentId, Guid? conversationId, LookUpResult lookUp, List<string> warnings)
        {
            if (!(conversationId is Guid id))
            {
                return null;
            }

            if (lookUp.ConversationAlreadyMine)
            {
                return id;
            }

            var query = new QueryExpression(Conversation.EntityName)
            {
                ColumnSet = new ColumnSet(Conversation.IsOutbound, Conversation.Channel, Conversation.ActiveAgentId),
                TopCount = 1,
            };
            query.Criteria.AddCondition(Conversation.Id, ConditionOperator.Equal, id);
            Entity? conversation;
            try
            {
                conversation = _system.RetrieveMultiple(query).Entities.FirstOrDefault();
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                warnings.Add("ConversationId " + id + " could not be checked (" + ServiceFailures.Describe(exception) +
                    "); it was ignored, and the conversation is linked when it is created or by the next start.");
                return null;
            }

            string? problem = null;
            if (conversation == null)
            {
                problem = "no such conversation exists";
            }
            else if (!ConversationKind.IsOutboundVoice(conversation))
            {
                problem = "it is not an outbound voice conversation";
            }
            else if (conversation.GetAttributeValue<EntityReference>(Conversation.ActiveAgentId)?.Id != agentId)
            {
                problem = "it is not the calling agent's conversation";
            }

            if (problem == null)
            {
                return id;
            }

            warnings.Add("ConversationId " + id + " was ignored: " + problem + ".");
            return null;
        }

        private int DecideNotification(AgentSnapshot agent, LookUpResult lookUp, Guid? conversationId, List<string> warnings)
        {
            if (conversationId == null && lookUp.RecentCallsWithoutConversation >= NotificationsWithoutACallPerWindow - 1)
            {
                warnings.Add(string.Format(CultureInfo.InvariantCulture,
                    "Throttled: {0} emergency calls without a conversation in the last {1} minutes; the recipients were already notified, so no email goes out for this one.",
                    lookUp.RecentCallsWithoutConversation + 1, (int)ThrottleWindow.TotalMinutes));
                return NotificationStatusValue.NotConfigured;
            }

            if (!agent.Exists)
            {
                // The agent could not be read: the notification step reads the recipients itself and decides.
                return NotificationStatusValue.Queued;
            }

            var recipients = RecipientList.Normalize(agent.RecipientsRaw);
            if (!recipients.IsValid)
            {
                warnings.Add("The agent's Emergency Call Notifications list has entries that are not email addresses; " +
                    "only the valid ones are notified.");
            }

            return recipients.Addresses.Count > 0 ? NotificationStatusValue.Queued : NotificationStatusValue.NotConfigured;
        }

        private static Entity NewCallRow(Guid callId, Guid agentId, StartEmergencyCallInput input, Guid? conversationId, AgentSnapshot agent,
            DateTime nowUtc, DateTime leaseExpiresOn, int notificationStatus)
        {
            var call = new Entity(EmergencyCall.EntityName, callId)
            {
                [EmergencyCall.Id] = callId,
                [EmergencyCall.Name] = "Emergency call " + (input.CountryCode.Length > 0 ? input.CountryCode + " " : string.Empty) +
                    nowUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC",
                [EmergencyCall.AgentId] = new EntityReference(SystemUser.EntityName, agentId),
                ["ownerid"] = new EntityReference(SystemUser.EntityName, agentId),
                [EmergencyCall.DialedNumber] = input.DialedDigits,
                [EmergencyCall.CountryCode] = input.CountryCode.Length > 0 ? input.CountryCode : null,
                [EmergencyCall.StartedOn] = nowUtc,
                // The row's numbers are cleared at this time whether or not a number was leased (see ReleaseExpiredCallbackLeases).
                [EmergencyCall.CallbackExpiresOn] = leaseExpiresOn,
                [EmergencyCall.NotificationStatus] = new OptionSetValue(notificationStatus),
            };
            if (conversationId is Guid conversation)
            {
                call[EmergencyCall.ConversationId] = new EntityReference(Conversation.EntityName, conversation);
            }

            if (input.Location != null)
            {
                call[EmergencyCall.Location] = input.Location;
            }

            // Recorded now, applied by the asynchronous follow-up: a failed presence write here would end the start.
            if (agent.CurrentPresence != null)
            {
                call[EmergencyCall.PriorPresenceId] = new EntityReference(PresenceStatus.EntityName, agent.CurrentPresence.Id);
            }

            return call;
        }

        private static StartEmergencyCallResult ResultFrom(Entity row, IReadOnlyList<string> extraWarnings)
        {
            var number = row.GetAttributeValue<AliasedValue>(CallbackAlias + "." + CallbackNumber.Number)?.Value as string;
            var hasLease = row.GetAttributeValue<EntityReference>(EmergencyCall.CallbackNumberId) != null && number != null;
            var warnings = CallWarnings.Split(row.GetAttributeValue<string>(EmergencyCall.Warnings))
                .Concat(extraWarnings)
                .ToArray();
            return new StartEmergencyCallResult(row.Id, hasLease ? number! : string.Empty,
                hasLease ? row.GetAttributeValue<DateTime?>(EmergencyCall.CallbackExpiresOn) : null,
                row.GetAttributeValue<OptionSetValue>(EmergencyCall.NotificationStatus)?.Value ?? NotificationStatusValue.NotConfigured,
                warnings, CallbackPromise.CallbackPathOf(row.GetAttributeValue<OptionSetValue>(EmergencyCall.OriginPath)?.Value, hasLease),
                row.GetAttributeValue<string>(EmergencyCall.CallbackDetails) ?? string.Empty);
        }

        private static string FormatTime(DateTime? value) =>
            value.HasValue ? value.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "recently";

        /// <summary>What the look-up found, read from its rows.</summary>
        private sealed class LookUpResult
        {
            public static readonly LookUpResult Failed = new LookUpResult();

            private readonly List<PoolRowReference> _ownLeases = new List<PoolRowReference>();

            private LookUpResult()
            {
            }

            public LookUpResult(IList<Entity> rows, Guid agentId, StartEmergencyCallInput input, DateTime nowUtc)
            {
                Succeeded = true;
                foreach (var row in rows)
                {
                    var mine = row.GetAttributeValue<EntityReference>(EmergencyCall.AgentId)?.Id == agentId;
                    if (input.IdempotencyKey is Guid key && row.Id == key)
                    {
                        if (mine)
                        {
                            Existing = row;
                        }
                        else
                        {
                            KeyTakenByAnotherAgent = true;
                        }

                        continue;
                    }

                    if (!mine)
                    {
                        continue;
                    }

                    var conversation = row.GetAttributeValue<EntityReference>(EmergencyCall.ConversationId)?.Id;
                    if (input.ConversationId is Guid wanted && conversation == wanted)
                    {
                        Existing ??= row;
                        ConversationAlreadyMine = true;
                    }

                    var startedOn = row.GetAttributeValue<DateTime?>(EmergencyCall.StartedOn);
                    if (conversation == null && startedOn.HasValue && startedOn.Value >= nowUtc - ThrottleWindow)
                    {
                        RecentCallsWithoutConversation++;
                        var state = row.GetAttributeValue<OptionSetValue>(EmergencyCall.StateCode)?.Value ?? EmergencyCall.StateActive;
                        if (state == EmergencyCall.StateActive && ActiveCallWithoutConversation == null)
                        {
                            ActiveCallWithoutConversation = row;
                        }
                    }

                    var leaseHolder = (row.GetAttributeValue<AliasedValue>(CallbackAlias + "." + CallbackNumber.AgentId)?.Value as EntityReference)?.Id;
                    var leaseExpires = row.GetAttributeValue<AliasedValue>(CallbackAlias + "." + CallbackNumber.LeaseExpiresOn)?.Value as DateTime?;
                    var numberId = row.GetAttributeValue<EntityReference>(EmergencyCall.CallbackNumberId)?.Id;
                    if (numberId.HasValue && leaseHolder == agentId && leaseExpires > nowUtc && !_ownLeases.Any(l => l.Id == numberId.Value))
                    {
                        _ownLeases.Add(new PoolRowReference(numberId.Value, row.GetAttributeValue<AliasedValue>(CallbackAlias + "." + CallbackNumber.CountryCode)?.Value as string));
                    }
                }
            }

            /// <summary>False when the look-up failed: nothing below is known.</summary>
            public bool Succeeded { get; }

            /// <summary>The call this dial already made (same IdempotencyKey, or the agent's call on this ConversationId).</summary>
            public Entity? Existing { get; }

            public bool KeyTakenByAnotherAgent { get; }

            /// <summary>The agent already has a call on this ConversationId, so the id was checked when that call started.</summary>
            public bool ConversationAlreadyMine { get; }

            /// <summary>The agent's calls without a conversation started within the throttle window.</summary>
            public int RecentCallsWithoutConversation { get; }

            /// <summary>The newest of those that is still active.</summary>
            public Entity? ActiveCallWithoutConversation { get; }

            /// <summary>The agent's live lease of this country, when they hold one.</summary>
            public PoolRowReference? OwnLease(string countryCode)
            {
                return _ownLeases.FirstOrDefault(l => string.Equals(l.CountryCode, countryCode, StringComparison.Ordinal));
            }
        }
    }

    internal sealed class StartEmergencyCallResult
    {
        public StartEmergencyCallResult(Guid emergencyCallId, string callbackNumber, DateTime? callbackExpiresOn,
            int notificationStatus, IReadOnlyList<string> warnings, string callbackPath, string callbackDetails)
        {
            CallbackPath = callbackPath;
            CallbackDetails = callbackDetails;
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

        /// <summary>Microsoft, Pool or Unknown (<see cref="CallbackPromise"/>): whether <see cref="CallbackNumber"/> is the one the responder has.</summary>
        public string CallbackPath { get; }

        /// <summary>The plain-words callback statement (never a number).</summary>
        public string CallbackDetails { get; }
    }
}
