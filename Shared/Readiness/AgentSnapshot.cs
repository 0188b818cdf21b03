using System;
using System.Collections.Generic;
using System.Linq;
using EmergencySolution.Model;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Readiness
{
    /// <summary>
    /// Everything Start, the readiness check and the conversation guard need to know about one agent, read in ONE
    /// RetrieveMultiple: the user row with outer links to the default mailbox, the agent status (current presence),
    /// the user settings' time zone, and the capacity chain bookableresource → msdyn_bookableresourcecapacityprofile →
    /// msdyn_capacityprofile → msdyn_liveworkstreamcapacityprofile → msdyn_liveworkstream (active rows only).
    /// </summary>
    /// <remarks>
    /// The capacity chain fans out (one result row per profile × workstream), which is why it is joined rather than
    /// queried separately: a handful of rows in one round trip is cheaper than four round trips. Optionally the same
    /// query also finds the agent's active emergency call that has no conversation yet (for the conversation guard).
    /// </remarks>
    internal sealed class AgentSnapshot
    {
        private const string MailboxAlias = "mbx";
        private const string AgentStatusAlias = "ast";
        private const string ResourceAlias = "brs";
        private const string ResourceProfileAlias = "brcp";
        private const string ProfileAlias = "cpf";
        private const string WorkstreamProfileAlias = "wscp";
        private const string WorkstreamAlias = "lws";
        private const string EmergencyCallAlias = "ecall";

        private AgentSnapshot(Guid agentId)
        {
            AgentId = agentId;
        }

        public Guid AgentId { get; }

        public bool Exists { get; private set; }

        public string? FullName { get; private set; }

        /// <summary>The stored "Emergency Call Notifications" value (normally already normalized by the save-time plugin).</summary>
        public string? RecipientsRaw { get; private set; }

        /// <summary>timezonedefinition.standardname of the agent's user settings, e.g. "Pacific Standard Time".</summary>
        public string? TimeZoneStandardName { get; private set; }

        /// <summary>The agent has at least one active capacity profile through their bookable resource.</summary>
        public bool HasCapacityProfile => CapacityProfileNames.Count > 0;

        /// <summary>One of the agent's capacity profiles is used by an active outbound voice workstream (a voice outbound profile).</summary>
        public bool HasVoiceOutboundProfile { get; private set; }

        /// <summary>The profiles are used by voice workstreams, but only inbound ones.</summary>
        public bool HasInboundOnlyVoiceProfile => HasCapacityProfile && !HasVoiceOutboundProfile && LinkedWorkstreams.Any(w => w.IsVoice);

        /// <summary>The profiles are used by workstreams, but none of them is voice.</summary>
        public bool HasNonVoiceProfileOnly => HasCapacityProfile && LinkedWorkstreams.Count > 0 && !LinkedWorkstreams.Any(w => w.IsVoice);

        /// <summary>The profiles are not used by any active workstream (outbound or inbound profile) at all.</summary>
        public bool HasUnusedProfileOnly => HasCapacityProfile && LinkedWorkstreams.Count == 0;

        public IReadOnlyList<string> CapacityProfileNames { get; private set; } = Array.Empty<string>();

        public IReadOnlyList<LinkedWorkstream> LinkedWorkstreams { get; private set; } = Array.Empty<LinkedWorkstream>();

        /// <summary>The user has a default mailbox (systemuser.defaultmailbox resolves to a mailbox row).</summary>
        public bool MailboxExists { get; private set; }

        public string? MailboxName { get; private set; }

        /// <summary>Active, enabled for outgoing email with a delivery method other than None.</summary>
        public bool MailboxEnabledForSending { get; private set; }

        /// <summary>The mailbox's email address is approved (emailrouteraccessapproval = Approved).</summary>
        public bool MailboxApproved { get; private set; }

        public bool MailboxEnabledAndApproved => MailboxEnabledForSending && MailboxApproved;

        public Guid? AgentStatusId { get; private set; }

        public EntityReference? CurrentPresence { get; private set; }

        /// <summary>Filled only when loaded with <c>includeUnlinkedEmergencyCall</c>: the agent's active emergency call without a conversation.</summary>
        public Guid? UnlinkedEmergencyCallId { get; private set; }

        public static AgentSnapshot Load(IOrganizationService service, Guid agentId)
        {
            return Load(service, agentId, false);
        }

        /// <param name="includeUnlinkedEmergencyCall">Also join the agent's newest active emergency call that has no conversation yet.</param>
        public static AgentSnapshot Load(IOrganizationService service, Guid agentId, bool includeUnlinkedEmergencyCall)
        {
            if (service == null)
            {
                throw new ArgumentNullException(nameof(service));
            }

            var rows = service.RetrieveMultiple(BuildQuery(agentId, includeUnlinkedEmergencyCall)).Entities;
            return FromRows(agentId, rows);
        }

        internal static QueryExpression BuildQuery(Guid agentId, bool includeUnlinkedEmergencyCall)
        {
            var query = new QueryExpression(SystemUser.EntityName)
            {
                ColumnSet = new ColumnSet(SystemUser.Id, SystemUser.FullName, SystemUser.NotificationRecipients),
                NoLock = true,
            };
            query.Criteria.AddCondition(SystemUser.Id, ConditionOperator.Equal, agentId);

            var mailbox = query.AddLink(Mailbox.EntityName, SystemUser.DefaultMailbox, Mailbox.Id, JoinOperator.LeftOuter);
            mailbox.EntityAlias = MailboxAlias;
            mailbox.Columns = new ColumnSet(Mailbox.Id, Mailbox.Name, Mailbox.StateCode, Mailbox.EnabledForOutgoingEmail,
                Mailbox.OutgoingEmailDeliveryMethod, Mailbox.EmailAddressApprovalStatus);

            var agentStatus = query.AddLink(AgentStatus.EntityName, SystemUser.Id, AgentStatus.AgentId, JoinOperator.LeftOuter);
            agentStatus.EntityAlias = AgentStatusAlias;
            agentStatus.Columns = new ColumnSet(AgentStatus.Id, AgentStatus.CurrentPresenceId);

            AgentTimeZoneLinks.AddTo(query);

            var resource = query.AddLink(Capacity.BookableResource, SystemUser.Id, Capacity.BookableResourceUserId, JoinOperator.LeftOuter);
            resource.EntityAlias = ResourceAlias;
            resource.Columns = new ColumnSet(Capacity.BookableResourceId);
            resource.LinkCriteria.AddCondition(Capacity.StateCode, ConditionOperator.Equal, Capacity.StateActive);

            var resourceProfile = resource.AddLink(Capacity.ResourceCapacityProfile, Capacity.BookableResourceId,
                Capacity.ResourceCapacityProfileResourceId, JoinOperator.LeftOuter);
            resourceProfile.EntityAlias = ResourceProfileAlias;
            resourceProfile.Columns = new ColumnSet(Capacity.ResourceCapacityProfileProfileId);
            resourceProfile.LinkCriteria.AddCondition(Capacity.StateCode, ConditionOperator.Equal, Capacity.StateActive);

            var profile = resourceProfile.AddLink(Capacity.CapacityProfile, Capacity.ResourceCapacityProfileProfileId,
                Capacity.CapacityProfileId, JoinOperator.LeftOuter);
            profile.EntityAlias = ProfileAlias;
            profile.Columns = new ColumnSet(Capacity.CapacityProfileId, Capacity.CapacityProfileName);
            profile.LinkCriteria.AddCondition(Capacity.StateCode, ConditionOperator.Equal, Capacity.StateActive);

            var workstreamProfile = profile.AddLink(Capacity.WorkstreamCapacityProfile, Capacity.CapacityProfileId,
                Capacity.WorkstreamCapacityProfileProfileId, JoinOperator.LeftOuter);
            workstreamProfile.EntityAlias = WorkstreamProfileAlias;
            workstreamProfile.Columns = new ColumnSet(Capacity.WorkstreamCapacityProfileWorkstreamId);

            var workstream = workstreamProfile.AddLink(Capacity.Workstream, Capacity.WorkstreamCapacityProfileWorkstreamId,
                Capacity.WorkstreamId, JoinOperator.LeftOuter);
            workstream.EntityAlias = WorkstreamAlias;
            workstream.Columns = new ColumnSet(Capacity.WorkstreamId, Capacity.WorkstreamName, Capacity.WorkstreamDirection,
                Capacity.WorkstreamStreamSource);
            workstream.LinkCriteria.AddCondition(Capacity.StateCode, ConditionOperator.Equal, Capacity.StateActive);

            if (includeUnlinkedEmergencyCall)
            {
                var call = query.AddLink(EmergencyCall.EntityName, SystemUser.Id, EmergencyCall.AgentId, JoinOperator.LeftOuter);
                call.EntityAlias = EmergencyCallAlias;
                call.Columns = new ColumnSet(EmergencyCall.Id, EmergencyCall.StartedOn);
                call.LinkCriteria.AddCondition(EmergencyCall.StateCode, ConditionOperator.Equal, EmergencyCall.StateActive);
                call.LinkCriteria.AddCondition(EmergencyCall.ConversationId, ConditionOperator.Null);
            }

            return query;
        }

        internal static AgentSnapshot FromRows(Guid agentId, IList<Entity> rows)
        {
            var snapshot = new AgentSnapshot(agentId);
            if (rows.Count == 0)
            {
                return snapshot;
            }

            var first = rows[0];
            snapshot.Exists = true;
            snapshot.FullName = first.GetAttributeValue<string>(SystemUser.FullName);
            snapshot.RecipientsRaw = first.GetAttributeValue<string>(SystemUser.NotificationRecipients);
            snapshot.TimeZoneStandardName = Aliased<string>(first, AgentTimeZoneLinks.TimeZoneAlias, TimeZoneDefinition.StandardName);

            snapshot.ReadMailbox(first);
            snapshot.AgentStatusId = Aliased<Guid?>(first, AgentStatusAlias, AgentStatus.Id);
            snapshot.CurrentPresence = Aliased<EntityReference>(first, AgentStatusAlias, AgentStatus.CurrentPresenceId);
            snapshot.ReadCapacity(rows);
            snapshot.UnlinkedEmergencyCallId = NewestUnlinkedCall(rows);
            return snapshot;
        }

        /// <summary>The mailbox columns, the same on every row (one user, one default mailbox).</summary>
        private void ReadMailbox(Entity first)
        {
            var mailboxId = Aliased<Guid?>(first, MailboxAlias, Mailbox.Id);
            if (!mailboxId.HasValue)
            {
                return;
            }

            MailboxExists = true;
            MailboxName = Aliased<string>(first, MailboxAlias, Mailbox.Name);
            var state = OptionValue(first, MailboxAlias, Mailbox.StateCode);
            var deliveryMethod = OptionValue(first, MailboxAlias, Mailbox.OutgoingEmailDeliveryMethod);
            MailboxEnabledForSending = (state ?? Mailbox.StateActive) == Mailbox.StateActive
                && Aliased<bool?>(first, MailboxAlias, Mailbox.EnabledForOutgoingEmail) == true
                && deliveryMethod.HasValue && deliveryMethod.Value != Mailbox.DeliveryMethodNone;
            MailboxApproved = OptionValue(first, MailboxAlias, Mailbox.EmailAddressApprovalStatus) == Mailbox.ApprovalStatusApproved;
        }

        /// <summary>The capacity profiles and their workstreams: one row per profile × workstream (× call), each counted once.</summary>
        private void ReadCapacity(IList<Entity> rows)
        {
            var profileNames = new List<string>();
            var seenProfiles = new HashSet<Guid>();
            var workstreams = new List<LinkedWorkstream>();
            var seenWorkstreams = new HashSet<Guid>();
            foreach (var row in rows)
            {
                var profileId = Aliased<Guid?>(row, ProfileAlias, Capacity.CapacityProfileId);
                if (profileId.HasValue && seenProfiles.Add(profileId.Value))
                {
                    profileNames.Add(Aliased<string>(row, ProfileAlias, Capacity.CapacityProfileName) ?? profileId.Value.ToString());
                }

                var workstreamId = profileId.HasValue ? Aliased<Guid?>(row, WorkstreamAlias, Capacity.WorkstreamId) : null;
                if (workstreamId.HasValue && seenWorkstreams.Add(workstreamId.Value))
                {
                    var workstream = new LinkedWorkstream(
                        Aliased<string>(row, WorkstreamAlias, Capacity.WorkstreamName) ?? workstreamId.Value.ToString(),
                        OptionValue(row, WorkstreamAlias, Capacity.WorkstreamDirection),
                        OptionValue(row, WorkstreamAlias, Capacity.WorkstreamStreamSource));
                    workstreams.Add(workstream);
                    if (workstream.IsVoice && workstream.IsOutbound)
                    {
                        HasVoiceOutboundProfile = true;
                    }
                }
            }

            CapacityProfileNames = profileNames;
            LinkedWorkstreams = workstreams;
        }

        /// <summary>
        /// The agent's active emergency call without a conversation. Several should not exist; if they do, the newest
        /// one is the call being made now.
        /// </summary>
        private static Guid? NewestUnlinkedCall(IList<Entity> rows)
        {
            Guid? newest = null;
            DateTime? newestCallStart = null;
            foreach (var row in rows)
            {
                var callId = Aliased<Guid?>(row, EmergencyCallAlias, EmergencyCall.Id);
                if (!callId.HasValue)
                {
                    continue;
                }

                var startedOn = Aliased<DateTime?>(row, EmergencyCallAlias, EmergencyCall.StartedOn) ?? DateTime.MinValue;
                if (!newestCallStart.HasValue || startedOn > newestCallStart.Value)
                {
                    newestCallStart = startedOn;
                    newest = callId;
                }
            }

            return newest;
        }

        private static T? Aliased<T>(Entity row, string alias, string attribute)
        {
            if (row.Attributes.TryGetValue(alias + "." + attribute, out var value) && value is AliasedValue aliased && aliased.Value is T typed)
            {
                return typed;
            }

            return default;
        }

        private static int? OptionValue(Entity row, string alias, string attribute)
        {
            if (!row.Attributes.TryGetValue(alias + "." + attribute, out var value) || !(value is AliasedValue aliased))
            {
                return null;
            }

            switch (aliased.Value)
            {
                case OptionSetValue option:
                    return option.Value;
                case int number:
                    return number;
                default:
                    return null;
            }
        }
    }

    /// <summary>A workstream that uses one of the agent's capacity profiles (an outbound or inbound profile, for voice).</summary>
    internal sealed class LinkedWorkstream
    {
        public LinkedWorkstream(string name, int? direction, int? streamSource)
        {
            Name = name;
            Direction = direction;
            StreamSource = streamSource;
        }

        public string Name { get; }

        /// <summary>msdyn_direction: 0 Inbound, 1 Outbound, 2 Direct Inbound, 3 Direct Outbound.</summary>
        public int? Direction { get; }

        /// <summary>msdyn_streamsource, e.g. 192370000 Voice.</summary>
        public int? StreamSource { get; }

        public bool IsVoice => StreamSource == Capacity.StreamSourceVoice;

        public bool IsOutbound => Direction == Capacity.DirectionOutbound;
    }
}
