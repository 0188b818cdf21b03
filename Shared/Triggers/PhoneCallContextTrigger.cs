using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using EmergencySolution.Configuration;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Triggers
{
    /// <summary>What the server trigger did with one write of a phone call engagement context (for traces and tests).</summary>
    internal enum PhoneCallContextOutcome
    {
        /// <summary>Neither phone column holds a number short enough to be an emergency number: 0 round trips.</summary>
        NotAnEmergencyNumber,

        /// <summary>The row names no conversation: 0 round trips.</summary>
        NoConversation,

        /// <summary>The short number is not an emergency number anywhere configured.</summary>
        NotConfiguredAsEmergency,

        /// <summary>The linked conversation is not an outbound voice conversation (or is gone).</summary>
        NotOutboundVoice,

        /// <summary>The conversation has no agent to start the call for.</summary>
        NoAgent,

        /// <summary>emc_StartEmergencyCall ran for the conversation's agent (a first start, or the existing call returned).</summary>
        Started,

        /// <summary>The agent's manual start has no conversation yet: the conversation's link step gives it this one.</summary>
        LeftToTheLinkStep,
    }

    /// <summary>
    /// The server-side trigger of an emergency call: a write of <c>msdyn_ocphonecallengagementctx</c>, Microsoft's
    /// per-call telephony context of a voice conversation, whose phone column holds an emergency number, for an
    /// outbound voice conversation. It then starts the call for the conversation's agent exactly as the panel does, by
    /// executing emc_StartEmergencyCall as that agent, keyed by the conversation (IdempotencyKey = ConversationId =
    /// msdyn_liveworkitemid, as the client watcher sends): whichever of the two comes second gets the call the first one
    /// made, and a manual start from the panel finds it by its conversation.
    /// </summary>
    /// <remarks>
    /// Whether the platform writes this row for an outbound call, and for an emergency call, is not documented
    /// (docs/platform.md says how an admin checks). If it never comes, nothing here runs; if it comes, the call starts.
    /// Which column holds the dialed number on an outbound call is not documented either (display names: "Customer phone
    /// number" for msdyn_fromphone, "Organization phone number" for msdyn_tophone), so both are checked: the org's own
    /// number is never an emergency number.
    /// <para>Round trips: an ordinary call, 0 (its numbers are longer than any emergency number can be, see
    /// <see cref="MaxEmergencyNumberDigits"/>). A short number: +1 (configuration). An emergency number: +1 the conversation,
    /// +1 the agent's unlinked call (a manual start the conversation's link step will take), +1 the org number's country
    /// (msdyn_ocphonenumber; +1 the agent's Omnichannel Phone country when that finds none), +1 emc_StartEmergencyCall (+1 for each retry after a fault, such as losing the same-key race
    /// to the client watcher; up to <see cref="MaxStartAttempts"/> in all).</para>
    /// </remarks>
    internal sealed class PhoneCallContextTrigger
    {
        /// <summary>The configuration refuses emergency numbers longer than this (EmergencyConfiguration), so a longer number is not one.</summary>
        public const int MaxEmergencyNumberDigits = 6;

        /// <summary>Start is tried this often with the same key (the client retries 5 times; a lost race needs one more).</summary>
        public const int MaxStartAttempts = 3;

        /// <summary>The error code of an InvalidPluginExecutionException: Start refused the input.</summary>
        private const int RefusedInputErrorCode = unchecked((int)0x80040265);

        private readonly IOrganizationService _system;
        private readonly Func<Guid, IOrganizationService> _asUser;
        private readonly ITracingService _tracing;

        /// <summary>The step's post image: the three columns as stored after the write.</summary>
        public const string PostImageAlias = "PostImage";

        /// <summary>The step: the row as stored (the post image, with the Target's values over it), then <see cref="Run(Entity)"/>.</summary>
        public static PhoneCallContextOutcome Run(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var row = new Entity(PhoneCallContext.EntityName, execution.PrimaryEntityId);
            if (execution.PostEntityImages.TryGetValue(PostImageAlias, out var image) && image != null)
            {
                foreach (var attribute in image.Attributes)
                {
                    row[attribute.Key] = attribute.Value;
                }
            }

            var target = context.Target;
            if (target != null)
            {
                foreach (var attribute in target.Attributes)
                {
                    row[attribute.Key] = attribute.Value;
                }
            }

            var outcome = new PhoneCallContextTrigger(context.SystemService, context.ServiceFor, context.TracingService).Run(row);
            context.Trace("PhoneCallContextTrigger: context {0}: {1}.", execution.PrimaryEntityId, outcome);
            return outcome;
        }

        public PhoneCallContextTrigger(IOrganizationService systemService, Func<Guid, IOrganizationService> asUser, ITracingService tracing)
        {
            _system = systemService;
            _asUser = asUser;
            _tracing = tracing;
        }

        /// <param name="row">The row as stored after the write: the Target merged over the post image (Update carries only
        /// the changed columns).</param>
        public PhoneCallContextOutcome Run(Entity row)
        {
            var from = row.GetAttributeValue<string>(PhoneCallContext.FromPhone);
            var to = row.GetAttributeValue<string>(PhoneCallContext.ToPhone);
            var shortNumbers = new[] { from, to }
                .Select(EmergencyConfiguration.DigitsOnly)
                .Where(digits => digits.Length > 0 && digits.Length <= MaxEmergencyNumberDigits)
                .Distinct()
                .ToList();
            if (shortNumbers.Count == 0)
            {
                return PhoneCallContextOutcome.NotAnEmergencyNumber;
            }

            var conversationId = row.GetAttributeValue<EntityReference>(PhoneCallContext.ConversationId)?.Id;
            if (conversationId == null || conversationId == Guid.Empty)
            {
                _tracing.Trace("PhoneCallContextTrigger: context {0} has a short number but no conversation; nothing to start.", row.Id);
                return PhoneCallContextOutcome.NoConversation;
            }

            var configuration = LoadConfiguration();
            var dialed = shortNumbers.FirstOrDefault(configuration.IsEmergencyNumberInAnyCountry);
            if (dialed == null)
            {
                return PhoneCallContextOutcome.NotConfiguredAsEmergency;
            }

            var conversation = _system.Retrieve(Conversation.EntityName, conversationId.Value,
                new ColumnSet(Conversation.IsOutbound, Conversation.Channel, Conversation.ActiveAgentId));
            if (!ConversationKind.IsOutboundVoice(conversation))
            {
                _tracing.Trace("PhoneCallContextTrigger: conversation {0} is not outbound voice; nothing to start.", conversationId);
                return PhoneCallContextOutcome.NotOutboundVoice;
            }

            var agentId = conversation.GetAttributeValue<EntityReference>(Conversation.ActiveAgentId)?.Id;
            if (agentId == null || agentId == Guid.Empty)
            {
                _tracing.Trace("PhoneCallContextTrigger: conversation {0} has no agent; nothing to start.", conversationId);
                return PhoneCallContextOutcome.NoAgent;
            }

            if (HasUnlinkedActiveCall(agentId.Value))
            {
                // The agent started this call by hand before Omnichannel created the conversation: the conversation's link
                // step gives that call this conversation (OutboundVoiceConversation), so starting here would make a second.
                _tracing.Trace("PhoneCallContextTrigger: agent {0} has an active emergency call without a conversation; the link step links it.", agentId);
                return PhoneCallContextOutcome.LeftToTheLinkStep;
            }

            var orgSide = EmergencyConfiguration.DigitsOnly(from) == dialed ? to : from;
            var country = CountryOf(dialed, orgSide, agentId.Value, configuration);
            _tracing.Trace("PhoneCallContextTrigger: emergency number ({0}) on outbound voice conversation {1}; starting for agent {2}, country {3}.",
                PhoneNumberPrivacy.Describe(dialed), conversationId, agentId, country);

            StartAsAgent(agentId.Value, conversationId.Value, dialed, country);
            return PhoneCallContextOutcome.Started;
        }

        private void StartAsAgent(Guid agentId, Guid conversationId, string dialed, string country)
        {
            var start = new OrganizationRequest(MessageNames.StartEmergencyCall)
            {
                [ParameterNames.DialedNumber] = dialed,
                [ParameterNames.CountryCode] = country,
                [ParameterNames.ConversationId] = conversationId,
                // The row id of the call: the client watcher sends the same key for this conversation, so a race between
                // the two makes one call (the second Create fails on the key and its retry returns the first).
                [ParameterNames.IdempotencyKey] = conversationId,
            };
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // As the agent, as the panel would: Start records them as the caller and checks their privilege.
                    _asUser(agentId).Execute(start);
                    return;
                }
                catch (FaultException<OrganizationServiceFault> fault) when (attempt < MaxStartAttempts && !IsRefusal(fault))
                {
                    // Most often the client watcher's start of the same dial committed first: this Create then fails on the
                    // key, and the same request again returns that call (one call, one email, one lease).
                    _tracing.Trace("PhoneCallContextTrigger: emc_StartEmergencyCall attempt {0} for conversation {1} failed ({2}); trying again with the same key.",
                        attempt, conversationId, PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message));
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    // No call row to record this on: fail the system job with the reason, so it stays visible (failed jobs are
                    // kept). The conversation and the phone call itself are not affected: this step is asynchronous.
                    var reason = PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message);
                    _tracing.Trace("PhoneCallContextTrigger: emc_StartEmergencyCall failed for conversation {0}: {1}", conversationId, reason);
                    throw new InvalidPluginExecutionException("The emergency call on conversation " + conversationId +
                        " could not be recorded: " + reason);
                }
            }
        }

        /// <summary>Start refused its input (InvalidPluginExecutionException's code): the same request would be refused again.</summary>
        private static bool IsRefusal(FaultException<OrganizationServiceFault> fault) =>
            fault.Detail?.ErrorCode == RefusedInputErrorCode;

        /// <summary>One read: the agent's active emergency call that has no conversation yet (a manual start), if any.</summary>
        private bool HasUnlinkedActiveCall(Guid agentId)
        {
            var query = new QueryExpression(EmergencyCall.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1, NoLock = true };
            query.Criteria.AddCondition(EmergencyCall.AgentId, ConditionOperator.Equal, agentId);
            query.Criteria.AddCondition(EmergencyCall.StateCode, ConditionOperator.Equal, EmergencyCall.StateActive);
            query.Criteria.AddCondition(EmergencyCall.ConversationId, ConditionOperator.Null);
            try
            {
                return _system.RetrieveMultiple(query).Entities.Count > 0;
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                // Unknown: start (Start's own look-up still returns a call this conversation already has).
                _tracing.Trace("PhoneCallContextTrigger: the agent's calls could not be read ({0}).", PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message));
                return false;
            }
        }

        private EmergencyConfiguration LoadConfiguration()
        {
            try
            {
                return EmergencyConfiguration.Load(_system, _tracing);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                // The shipped emergency numbers still recognise the call; Start reads (and reports) the configuration again.
                _tracing.Trace("PhoneCallContextTrigger: the configuration could not be read ({0}); using the shipped emergency numbers.",
                    PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message));
                return EmergencyConfiguration.Defaults;
            }
        }

        /// <summary>
        /// The country the call was made in, for Start's country (which picks the callback pool and the email's country):
        /// the country of the org number the call went out on (msdyn_ocphonenumber.msdyn_countryisocode), else the country of
        /// the agent's Omnichannel Phone (the dial watcher's first source, so the two agree when the org number is not
        /// known), else the one configured country whose emergency number it is, else the country of the org number's
        /// calling code (+44 GB, +45 DK, +1 US: Canada and Puerto Rico share +1, and their org numbers carry their own
        /// country in msdyn_ocphonenumber), else the first configured country with that emergency number, alphabetically.
        /// </summary>
        private string CountryOf(string dialed, string? orgSideNumber, Guid agentId, EmergencyConfiguration configuration)
        {
            // Even a country the configuration does not support: Start records it, and the readiness line says so.
            var known = OrgNumberCountry(orgSideNumber) ?? AgentPhoneCountry(agentId);
            if (known != null)
            {
                return known;
            }

            var candidates = configuration.SupportedCountries.Where(c => configuration.IsEmergencyNumber(c, dialed)).ToList();
            if (candidates.Count == 1)
            {
                return candidates[0];
            }

            var e164 = PhoneNumberPrivacy.ToE164(orgSideNumber);
            var byCallingCode = e164 == null ? null
                : e164.StartsWith("+44", StringComparison.Ordinal) ? "GB"
                : e164.StartsWith("+45", StringComparison.Ordinal) ? "DK"
                : e164.StartsWith("+1", StringComparison.Ordinal) ? "US"
                : null;
            if (byCallingCode != null && candidates.Contains(byCallingCode))
            {
                return byCallingCode;
            }

            return candidates.FirstOrDefault() ?? string.Empty;
        }

        /// <summary>One query: the country of the agent's Omnichannel Phone (systemuser.msdyn_phonenumberid), as the watcher reads it.</summary>
        private string? AgentPhoneCountry(Guid agentId)
        {
            var query = new QueryExpression(SystemUser.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1, NoLock = true };
            query.Criteria.AddCondition(SystemUser.Id, ConditionOperator.Equal, agentId);
            var phone = query.AddLink(OrganizationPhoneNumber.EntityName, SystemUser.OmnichannelPhoneId, OrganizationPhoneNumber.Id, JoinOperator.Inner);
            phone.EntityAlias = "phone";
            phone.Columns = new ColumnSet(OrganizationPhoneNumber.CountryIsoCode);
            try
            {
                var code = _system.RetrieveMultiple(query).Entities.FirstOrDefault()
                    ?.GetAttributeValue<AliasedValue>("phone." + OrganizationPhoneNumber.CountryIsoCode)?.Value as string;
                return EmergencyConfiguration.NormalizeCountry(code);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                _tracing.Trace("PhoneCallContextTrigger: the country of the agent's Omnichannel Phone could not be read ({0}).",
                    PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message));
                return null;
            }
        }

        private string? OrgNumberCountry(string? orgSideNumber)
        {
            if (string.IsNullOrWhiteSpace(orgSideNumber))
            {
                return null;
            }

            var query = new QueryExpression(OrganizationPhoneNumber.EntityName)
            {
                ColumnSet = new ColumnSet(OrganizationPhoneNumber.CountryIsoCode),
                TopCount = 1,
                NoLock = true,
            };
            query.Criteria.AddCondition(OrganizationPhoneNumber.Number, ConditionOperator.Equal, orgSideNumber!.Trim());
            try
            {
                var code = _system.RetrieveMultiple(query).Entities.FirstOrDefault()?.GetAttributeValue<string>(OrganizationPhoneNumber.CountryIsoCode);
                return EmergencyConfiguration.NormalizeCountry(code);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                _tracing.Trace("PhoneCallContextTrigger: the org number's country could not be read ({0}).",
                    PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message));
                return null;
            }
        }
    }
}
