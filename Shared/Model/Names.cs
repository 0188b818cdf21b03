namespace EmergencySolution.Model
{
    // Logical names used by both plugin assemblies. Values are the platform's or the solution's schema names;
    // tests spell them out literally so that a rename here cannot pass unnoticed.

    internal static class SystemUser
    {
        public const string EntityName = "systemuser";
        public const string Id = "systemuserid";
        public const string FullName = "fullname";
        public const string InternalEmailAddress = "internalemailaddress";
        public const string DefaultMailbox = "defaultmailbox";
        /// <summary>
        /// "Emergency Call Notifications" on the user's Omnichannel tab: Contact Center's own column, which admins edit
        /// (docs/platform.md, section 4). The solution validates it on save and notifies from it; it adds no column of its own.
        /// </summary>
        public const string NotificationRecipients = "msdyn_emergencyemailrecipients";
        public const string EntraObjectId = "azureactivedirectoryobjectid";

        /// <summary>"Omnichannel Phone" on the Omnichannel tab: the agent's own number (msdyn_ocphonenumber).</summary>
        public const string OmnichannelPhoneId = "msdyn_phonenumberid";
    }

    internal static class EmergencyCall
    {
        public const string EntityName = "emc_emergencycall";
        public const string Id = "emc_emergencycallid";
        public const string Name = "emc_name";
        public const string AgentId = "emc_agentid";
        public const string ConversationId = "emc_conversationid";
        public const string DialedNumber = "emc_dialednumber";
        public const string CountryCode = "emc_countrycode";
        public const string Location = "emc_location";
        public const string StartedOn = "emc_startedon";
        public const string EndedOn = "emc_endedon";
        public const string PriorPresenceId = "emc_priorpresenceid";
        public const string CallbackNumberId = "emc_callbacknumberid";
        public const string CallbackExpiresOn = "emc_callbackexpireson";
        public const string NotificationStatus = "emc_notificationstatus";
        public const string NotificationError = "emc_notificationerror";
        public const string Warnings = "emc_warnings";
        public const string OriginPath = "emc_originpath";
        public const string LeftToPlatform = "emc_lefttoplatform";
        public const string CallbackDetails = "emc_callbackdetails";
        public const string StateCode = "statecode";
        public const string StatusCode = "statuscode";
        public const int StateActive = 0;
        public const int StateEnded = 1;
        public const int StatusEnded = 2;
    }

    internal static class NotificationStatusValue
    {
        public const int NotConfigured = 410750000;
        public const int Queued = 410750001;
        public const int Sent = 410750002;
        public const int Failed = 410750003;
        public const int LeftToPlatform = 410750004;
    }

    /// <summary>emc_emergencycall.emc_originpath: the path the emergency call takes from the agent's number.</summary>
    internal static class OriginPathValue
    {
        public const int CallingPlan = 410750000;
        public const int DirectOffer = 410750001;
        public const int DirectRouting = 410750002;
        public const int Unknown = 410750003;
    }

    /// <summary>
    /// msdyn_ocphonecallengagementctx ("Phone Call Engagement Context"): per-call telephony context of a voice conversation
    /// (Microsoft's generated table reference). Which phone column holds the dialed number on an outbound call is not
    /// documented, so both are read.
    /// </summary>
    internal static class PhoneCallContext
    {
        public const string EntityName = "msdyn_ocphonecallengagementctx";
        public const string FromPhone = "msdyn_fromphone";
        public const string ToPhone = "msdyn_tophone";
        public const string ConversationId = "msdyn_liveworkitemid";
    }

    /// <summary>msdyn_ocphonenumber: the org's phone numbers (Microsoft's generated table reference).</summary>
    internal static class OrganizationPhoneNumber
    {
        public const string EntityName = "msdyn_ocphonenumber";
        public const string Id = "msdyn_ocphonenumberid";
        public const string Number = "msdyn_phonenumber";
        public const string CountryIsoCode = "msdyn_countryisocode";
    }

    internal static class CallbackNumber
    {
        public const string EntityName = "emc_callbacknumber";
        public const string Id = "emc_callbacknumberid";
        public const string Number = "emc_number";
        public const string CountryCode = "emc_countrycode";
        public const string EmergencyCallId = "emc_emergencycallid";
        public const string AgentId = "emc_agentid";
        public const string LeaseExpiresOn = "emc_leaseexpireson";
        public const string StateCode = "statecode";
        public const int StateActive = 0;
    }

    internal static class EnvironmentVariables
    {
        public const string DefinitionEntityName = "environmentvariabledefinition";
        public const string ValueEntityName = "environmentvariablevalue";
        public const string SchemaName = "schemaname";
        public const string DefaultValue = "defaultvalue";
        public const string Value = "value";
        public const string DefinitionId = "environmentvariabledefinitionid";
        public const string EmergencyNumbers = "emc_EmergencyNumbers";
        public const string CallbackLeaseMinutes = "emc_CallbackLeaseMinutes";
        public const string NotificationTemplateTitle = "emc_NotificationTemplateTitle";
        public const string PlatformHandlesOnMicrosoftNumbers = "emc_PlatformHandlesOnMicrosoftNumbers";
        public const string CarrierPresentsPoolNumbers = "emc_CarrierPresentsPoolNumbers";
    }

    internal static class PresenceStatus
    {
        public const string EntityName = "msdyn_presence";
    }

    internal static class AgentStatus
    {
        public const string EntityName = "msdyn_agentstatus";
        public const string Id = "msdyn_agentstatusid";
        public const string AgentId = "msdyn_agentid";
        public const string CurrentPresenceId = "msdyn_currentpresenceid";
    }

    internal static class Conversation
    {
        public const string EntityName = "msdyn_ocliveworkitem";
        public const string Id = "activityid";
        public const string Channel = "msdyn_channel";
        public const string IsOutbound = "msdyn_isoutbound";
        public const string ActiveAgentId = "msdyn_activeagentid";
        public const string Subject = "subject";
        public const string StateCode = "statecode";
        public const int StateClosed = 1;
        public const int ChannelVoice = 192370000;
        public const int ChannelVoiceCall = 192440000;
    }

    internal static class Capacity
    {
        public const string BookableResource = "bookableresource";
        public const string BookableResourceId = "bookableresourceid";
        public const string BookableResourceUserId = "userid";
        public const string ResourceCapacityProfile = "msdyn_bookableresourcecapacityprofile";
        public const string ResourceCapacityProfileResourceId = "msdyn_bookableresourceid";
        public const string ResourceCapacityProfileProfileId = "msdyn_capacityprofileid";
        public const string CapacityProfile = "msdyn_capacityprofile";
        public const string CapacityProfileId = "msdyn_capacityprofileid";
        public const string WorkstreamCapacityProfile = "msdyn_liveworkstreamcapacityprofile";
        public const string WorkstreamCapacityProfileProfileId = "msdyn_capacityprofile_id";
        public const string WorkstreamCapacityProfileWorkstreamId = "msdyn_workstream_id";
        public const string Workstream = "msdyn_liveworkstream";
        public const string WorkstreamId = "msdyn_liveworkstreamid";
        public const string WorkstreamDirection = "msdyn_direction";
        public const string WorkstreamStreamSource = "msdyn_streamsource";
        public const int DirectionOutbound = 1;
        public const string StateCode = "statecode";
        public const int StateActive = 0;
        public const string CapacityProfileName = "msdyn_name";
        public const string WorkstreamName = "msdyn_name";
        public const int StreamSourceVoice = 192370000;
    }

    internal static class Mailbox
    {
        public const string EntityName = "mailbox";
        public const string Id = "mailboxid";
        public const string EmailAddressApprovalStatus = "emailrouteraccessapproval";
        public const string StateCode = "statecode";
        // Source: Microsoft's generated mailbox table reference (powerapps-docs, reference/entities/mailbox):
        // enabledforoutgoingemail "Choose whether the mailbox is enabled for sending email"; emailrouteraccessapproval
        // "Email Address Approval Status" (0 Empty, 1 Approved, 2 Pending Approval, 3 Rejected);
        // outgoingemaildeliverymethod (0 None, 2 Server-Side Synchronization or Email Router).
        public const string Name = "name";
        public const string EnabledForOutgoingEmail = "enabledforoutgoingemail";
        public const string OutgoingEmailDeliveryMethod = "outgoingemaildeliverymethod";
        public const int ApprovalStatusApproved = 1;
        public const int DeliveryMethodNone = 0;
        public const int StateActive = 0;
    }

    internal static class CallHistory
    {
        public const string PhoneNumber = "phonenumber";
        public const string Transcript = "msdyn_transcript";
        public const string TranscriptConversationId = "msdyn_liveworkitemidid";
        public const string Recording = "msdyn_ocrecording";
        public const string RecordingConversationId = "msdyn_liveworkitemid";
        public const string RecordingTarget = "msdyn_recordingtarget";
        public const string RegardingObjectId = "regardingobjectid";
    }

    internal static class MessageNames
    {
        public const string StartEmergencyCall = "emc_StartEmergencyCall";
        public const string ModifyAgentPresence = "CCaaS_ModifyAgentPresence";
        public const string EndEmergencyCall = "emc_EndEmergencyCall";
        public const string ReleaseExpiredCallbackLeases = "emc_ReleaseExpiredCallbackLeases";
    }

    internal static class ParameterNames
    {
        public const string DialedNumber = "DialedNumber";
        public const string CountryCode = "CountryCode";
        public const string ConversationId = "ConversationId";
        public const string OriginNumberType = "OriginNumberType";
        public const string Location = "Location";
        public const string EmergencyCallId = "EmergencyCallId";
        public const string CallbackNumber = "CallbackNumber";
        public const string CallbackExpiresOn = "CallbackExpiresOn";
        public const string IdempotencyKey = "IdempotencyKey";
        public const string NotificationStatus = "NotificationStatus";
        public const string Warnings = "Warnings";
        public const string CallbackPath = "CallbackPath";
        public const string CallbackDetails = "CallbackDetails";
        public const string Responsibilities = "Responsibilities";
        public const string RestoredPresenceId = "RestoredPresenceId";
        public const string CalledNumber = "CalledNumber";
        public const string Matched = "Matched";
        public const string AgentId = "AgentId";
        public const string AgentEntraObjectId = "AgentEntraObjectId";
        public const string Priority = "Priority";
        public const string BypassRouting = "BypassRouting";
        public const string ExpiresOn = "ExpiresOn";
        public const string Ready = "Ready";
        public const string Checks = "Checks";
        public const string ReleasedCount = "ReleasedCount";
    }

    internal static class UserSettings
    {
        public const string EntityName = "usersettings";
        public const string SystemUserId = "systemuserid";
        public const string TimeZoneCode = "timezonecode";
    }

    internal static class TimeZoneDefinition
    {
        public const string EntityName = "timezonedefinition";
        public const string TimeZoneCode = "timezonecode";
        public const string StandardName = "standardname";
    }
}
