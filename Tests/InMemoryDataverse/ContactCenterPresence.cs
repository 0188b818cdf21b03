using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>
    /// Dynamics 365 Contact Center's presence API, as Microsoft documents it (learn.microsoft.com, contact-center/extend/api/
    /// ccaas_modifyagentpresence and ccaas_getpresence, dated 11/2024; contact-center/extend/presence-status-sync):
    /// <list type="bullet">
    /// <item><c>CCaaS_ModifyAgentPresence</c> (POST): body <c>ApiVersion</c> "1.0", <c>AgentId</c> (the agent's systemuserid),
    /// <c>PresenceId</c> (an msdyn_presenceid). No response keys. The caller is the agent (header MSCRMCallerID; in a
    /// plugin, an organization service created for the agent's id) and needs the Omnichannel Agent or Omnichannel
    /// Supervisor role.</item>
    /// <item><c>CCaaS_GetPresence</c> (GET): no body; answers for the caller with the keys ActiveBrowserSessions (Integer),
    /// AgentId (GUID), AgentName (String), Timestamp (Integer, login time in seconds from epoch), AllowedChannels and
    /// DisabledChannels (String arrays), CurrentPresenceStatusInfo (String), PresenceId (GUID).</item>
    /// <item>Documented failures of both: 400 wrong input parameters, 401 unauthorized, 404 resource not found,
    /// 405 API not allowed, 429 too many requests, 500 internal server error.</item>
    /// </list>
    /// The presence itself lives in Microsoft's presence service; <c>msdyn_agentstatus.msdyn_currentpresenceid</c> mirrors it
    /// and is written by that service (Microsoft's sample payload: InitiatingUserAgent "Microsoft.CCaaS.AssignmentEngineVNext").
    /// This model keeps the mirror as the state: a successful modify writes the agent's msdyn_agentstatus row as SYSTEM
    /// from outside any plugin (so the request log tells the service's write from a plugin's), and a get reads it.
    /// </summary>
    /// <remarks>
    /// What Microsoft does not document, and this model chooses (each one said in docs/platform.md as unconfirmed):
    /// <list type="bullet">
    /// <item>How an HTTP status reaches an SDK caller. Here: a <c>FaultException&lt;OrganizationServiceFault&gt;</c> with the
    /// code a custom API's plugin raises (<see cref="ErrorCodes.IsvAborted"/>) and a message that starts with the status,
    /// e.g. "429 Rate limit (Too many requests)".</item>
    /// <item>The SDK parameter types. The documented body carries AgentId and PresenceId as JSON strings; the model accepts a
    /// string holding a GUID, or a Guid.</item>
    /// <item>Which "resource" is not found (404): here an unknown agent, an unknown presence, or an agent with no
    /// msdyn_agentstatus row (a user who never signed in to Omnichannel; the platform creates the row for a new agent).</item>
    /// <item>Whether the mirror row is written before the API answers: here it is, synchronously.</item>
    /// </list>
    /// 405 and 429 are never raised on their own; tests inject them with <see cref="FailContactCenterPresence"/>.
    /// </remarks>
    public sealed partial class InMemoryOrganization
    {
        public const string ModifyAgentPresenceMessage = "CCaaS_ModifyAgentPresence";
        public const string GetPresenceMessage = "CCaaS_GetPresence";
        public const string ContactCenterApiVersion = "1.0";

        /// <summary>The roles Microsoft names as required to call the presence API.</summary>
        public static readonly IReadOnlyList<string> ContactCenterPresenceRoles = new[] { "Omnichannel agent", "Omnichannel supervisor" };

        private static readonly Guid OmnichannelAgentRoleId = new Guid("5d8b1b0e-0000-4000-8000-0000000cc001");
        private static readonly Guid OmnichannelSupervisorRoleId = new Guid("5d8b1b0e-0000-4000-8000-0000000cc002");

        private static readonly Dictionary<int, string> PresenceApiStatuses = new Dictionary<int, string>
        {
            [400] = "Bad Request (Wrong input parameters)",
            [401] = "Unauthorized",
            [404] = "Resource not found",
            [405] = "API not allowed",
            [429] = "Rate limit (Too many requests)",
            [500] = "Internal Server Error",
        };

        /// <summary>
        /// Makes this organization a Contact Center org for presence: both messages answer as documented, and the roles
        /// "Omnichannel agent" and "Omnichannel supervisor" exist (give them with <see cref="AssignRole"/>). Without this
        /// call the messages are unknown, as in an org without Contact Center.
        /// </summary>
        public void EnableContactCenterPresence()
        {
            if (!_roles.ContainsKey(ContactCenterPresenceRoles[0]))
            {
                DefineRole(ContactCenterPresenceRoles[0], OmnichannelAgentRoleId);
            }

            if (!_roles.ContainsKey(ContactCenterPresenceRoles[1]))
            {
                DefineRole(ContactCenterPresenceRoles[1], OmnichannelSupervisorRoleId);
            }

            AddMessageHandler(ModifyAgentPresenceMessage, ModifyAgentPresence);
            AddMessageHandler(GetPresenceMessage, GetPresence);
        }

        /// <summary>The fault the model raises for a documented HTTP status of the presence API (400, 401, 404, 405, 429, 500).</summary>
        public static OrganizationServiceFault ContactCenterPresenceFault(string messageName, int httpStatus, string? detail = null)
        {
            if (!PresenceApiStatuses.TryGetValue(httpStatus, out var text))
            {
                throw new ArgumentOutOfRangeException(nameof(httpStatus), httpStatus, "Microsoft documents 400, 401, 404, 405, 429 and 500 for the presence API.");
            }

            var message = messageName + ": " + httpStatus + " " + text + (string.IsNullOrEmpty(detail) ? string.Empty : ": " + detail);
            return new OrganizationServiceFault { ErrorCode = ErrorCodes.IsvAborted, Message = message, Timestamp = DateTime.UtcNow };
        }

        /// <summary>Every request of the presence message fails with the documented status, until <see cref="ClearFailures"/>.</summary>
        public void FailContactCenterPresence(string messageName, int httpStatus) =>
            FailWhen(r => string.Equals(r.RequestName, messageName, StringComparison.OrdinalIgnoreCase), ContactCenterPresenceFault(messageName, httpStatus));

        /// <summary>The agent's presence as the presence service holds it (the mirror row), or null; for assertions.</summary>
        public Guid? CurrentPresenceOf(Guid agentId) =>
            AgentStatusRow(agentId)?.GetAttributeValue<EntityReference>("msdyn_currentpresenceid")?.Id;

        private OrganizationResponse ModifyAgentPresence(OrganizationRequest request, ExecutionInfo? info)
        {
            var caller = info?.UserId ?? SystemUserId;
            var version = request.Parameters.Contains("ApiVersion") ? request.Parameters["ApiVersion"] as string : null;
            if (!string.Equals(version, ContactCenterApiVersion, StringComparison.Ordinal))
            {
                throw PresenceFault(ModifyAgentPresenceMessage, 400, "ApiVersion must be \"" + ContactCenterApiVersion + "\".");
            }

            var agentId = GuidParameter(request, "AgentId", ModifyAgentPresenceMessage);
            var presenceId = GuidParameter(request, "PresenceId", ModifyAgentPresenceMessage);
            RequirePresenceRole(caller, ModifyAgentPresenceMessage);

            if (Store.Find("systemuser", agentId) == null)
            {
                throw PresenceFault(ModifyAgentPresenceMessage, 404, "no user " + agentId + ".");
            }

            if (Store.Find("msdyn_presence", presenceId) == null)
            {
                throw PresenceFault(ModifyAgentPresenceMessage, 404, "no presence " + presenceId + ".");
            }

            var status = AgentStatusRow(agentId)
                ?? throw PresenceFault(ModifyAgentPresenceMessage, 404, "agent " + agentId + " has no agent status (never signed in to Omnichannel).");

            // The presence service's own write of its mirror: as SYSTEM and from outside any plugin.
            GetOrganizationService().Update(new Entity("msdyn_agentstatus", status.Id)
            {
                ["msdyn_currentpresenceid"] = new EntityReference("msdyn_presence", presenceId),
                ["msdyn_presencemodifiedon"] = UtcNow,
            });
            return new OrganizationResponse { ResponseName = ModifyAgentPresenceMessage };
        }

        private OrganizationResponse GetPresence(OrganizationRequest request, ExecutionInfo? info)
        {
            var caller = info?.UserId ?? SystemUserId;
            RequirePresenceRole(caller, GetPresenceMessage);
            var user = Store.Find("systemuser", caller)
                ?? throw PresenceFault(GetPresenceMessage, 404, "no user " + caller + ".");
            var status = AgentStatusRow(caller)
                ?? throw PresenceFault(GetPresenceMessage, 404, "agent " + caller + " has no agent status (never signed in to Omnichannel).");
            var presence = status.GetAttributeValue<EntityReference>("msdyn_currentpresenceid");
            var presenceRow = presence == null ? null : Store.Find("msdyn_presence", presence.Id);
            var modifiedOn = status.GetAttributeValue<DateTime?>("msdyn_presencemodifiedon");

            var response = new OrganizationResponse { ResponseName = GetPresenceMessage };
            response.Results["ActiveBrowserSessions"] = status.GetAttributeValue<bool?>("msdyn_isagentloggedin") == false ? 0 : 1;
            response.Results["AgentId"] = caller;
            response.Results["AgentName"] = user.GetAttributeValue<string>("fullname") ?? string.Empty;
            // The login time is not kept in any documented table; the model answers with the last presence change.
            response.Results["Timestamp"] = modifiedOn.HasValue
                ? (int)(modifiedOn.Value.ToUniversalTime() - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds
                : 0;
            response.Results["AllowedChannels"] = Array.Empty<string>();
            response.Results["DisabledChannels"] = Array.Empty<string>();
            response.Results["CurrentPresenceStatusInfo"] = presenceRow?.GetAttributeValue<string>("msdyn_presencestatustext")
                ?? presenceRow?.GetAttributeValue<string>("msdyn_name") ?? string.Empty;
            response.Results["PresenceId"] = presence?.Id ?? Guid.Empty;
            return response;
        }

        private Entity? AgentStatusRow(Guid agentId)
        {
            var query = new QueryExpression("msdyn_agentstatus") { ColumnSet = new ColumnSet(true), TopCount = 1 };
            query.Criteria.AddCondition("msdyn_agentid", ConditionOperator.Equal, agentId);
            return Queries.Execute(query).Entities.FirstOrDefault();
        }

        private void RequirePresenceRole(Guid caller, string messageName)
        {
            if (caller == SystemUserId)
            {
                return;
            }

            if (!_userRoles.TryGetValue(caller, out var roles) || !ContactCenterPresenceRoles.Any(roles.Contains))
            {
                throw PresenceFault(messageName, 401, "the caller " + caller + " has neither the Omnichannel agent nor the Omnichannel supervisor role.");
            }
        }

        private static Guid GuidParameter(OrganizationRequest request, string name, string messageName)
        {
            var value = request.Parameters.Contains(name) ? request.Parameters[name] : null;
            switch (value)
            {
                case Guid id when id != Guid.Empty:
                    return id;
                case string text when Guid.TryParse(text, out var parsed) && parsed != Guid.Empty:
                    return parsed;
                default:
                    throw PresenceFault(messageName, 400, name + " must be a GUID.");
            }
        }

        private static System.ServiceModel.FaultException<OrganizationServiceFault> PresenceFault(string messageName, int httpStatus, string detail)
        {
            var fault = ContactCenterPresenceFault(messageName, httpStatus, detail);
            return new System.ServiceModel.FaultException<OrganizationServiceFault>(fault, new System.ServiceModel.FaultReason(fault.Message));
        }
    }
}
