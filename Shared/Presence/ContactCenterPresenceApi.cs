using System;
using System.ServiceModel;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Presence
{
    /// <summary>
    /// Contact Center's documented way to change an agent's presence: the Dataverse message
    /// <c>CCaaS_ModifyAgentPresence</c> with <c>ApiVersion</c> "1.0", <c>AgentId</c> and <c>PresenceId</c>, called as the
    /// agent (Microsoft: header MSCRMCallerID; in a plugin, an organization service created for the agent's id), who needs
    /// the Omnichannel Agent or Supervisor role. The presence service then updates its mirror, msdyn_agentstatus, which
    /// the solution only ever reads. Source: learn.microsoft.com, contact-center/extend/api/ccaas_modifyagentpresence.
    /// </summary>
    /// <remarks>
    /// The ids are sent as strings, as in Microsoft's documented request body; the SDK parameter types are not documented
    /// (docs/platform.md says how an admin checks them). Never throws for a failed call: a presence problem must not stop
    /// anything, so the caller records the returned reason on the emergency call.
    /// </remarks>
    internal static class ContactCenterPresenceApi
    {
        public const string ModifyAgentPresence = MessageNames.ModifyAgentPresence;
        public const string ApiVersion = "1.0";

        /// <summary>Microsoft's out-of-box "Busy DND" presence (contact-center/extend/presence-status-sync); it cannot be edited or deleted.</summary>
        public static readonly Guid BusyDoNotDisturb = new Guid("08971864-c07a-e811-8162-000d3aa11f50");

        /// <summary>One request. Null when the presence service took the change; otherwise why not (digits redacted).</summary>
        public static string? TrySet(IOrganizationService asAgent, Guid agentId, Guid presenceId)
        {
            try
            {
                asAgent.Execute(new OrganizationRequest(ModifyAgentPresence)
                {
                    ["ApiVersion"] = ApiVersion,
                    ["AgentId"] = agentId.ToString("D"),
                    ["PresenceId"] = presenceId.ToString("D"),
                });
                return null;
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message);
            }
            catch (Exception exception) when (!(exception is OutOfMemoryException))
            {
                // A timeout, a message this org does not know (no Contact Center), anything else: recorded, never thrown.
                return PhoneNumberPrivacy.Redact(exception.GetType().Name + ": " + exception.Message);
            }
        }
    }
}
