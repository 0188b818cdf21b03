using System;
using System.Linq;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Lifecycle
{
    /// <summary>
    /// Answers the routing layer's question "is this incoming call an emergency callback?" in exactly one round trip:
    /// the pool row of the called number, only while its lease is live. The pool row carries the agent and the call
    /// (the lease); the agent's Microsoft Entra object id rides along on a link to systemuser, so the callback router
    /// can reach the agent's Teams identity without a second request.
    /// </summary>
    internal sealed class EmergencyCallbackResolver
    {
        /// <summary>
        /// Routing priority of an emergency callback. 0 is the highest priority there is (lower numbers route first,
        /// and no priority is below 0), so nothing can be queued ahead of a responder calling back.
        /// </summary>
        public const int HighestPriority = 0;

        public const int MaxNumberLength = 64;

        private const string AgentAlias = "agent";

        private readonly IOrganizationService _service;

        public EmergencyCallbackResolver(IOrganizationService service)
        {
            _service = service;
        }

        public CallbackResolution Resolve(string? calledNumber, DateTime nowUtc)
        {
            if (string.IsNullOrWhiteSpace(calledNumber))
            {
                throw new InvalidPluginExecutionException("CalledNumber is empty; pass the number the incoming call was made to.");
            }

            if (calledNumber!.Length > MaxNumberLength)
            {
                throw new InvalidPluginExecutionException("CalledNumber is " + calledNumber.Length +
                    " characters long; at most " + MaxNumberLength + " are accepted.");
            }

            var e164 = PhoneNumberPrivacy.ToE164(calledNumber);
            if (e164 == null)
            {
                return CallbackResolution.NotMatched;
            }

            var query = new QueryExpression(CallbackNumber.EntityName)
            {
                ColumnSet = new ColumnSet(CallbackNumber.AgentId, CallbackNumber.EmergencyCallId, CallbackNumber.LeaseExpiresOn),
                TopCount = 1,
            };
            query.Criteria.AddCondition(CallbackNumber.Number, ConditionOperator.Equal, e164);
            query.Criteria.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.GreaterThan, nowUtc);
            query.Criteria.AddCondition(CallbackNumber.EmergencyCallId, ConditionOperator.NotNull);
            query.Criteria.AddCondition(CallbackNumber.AgentId, ConditionOperator.NotNull);
            // A deactivated number is neither leased nor matched (the same rule as Start, the guards and readiness).
            query.Criteria.AddCondition(CallbackNumber.StateCode, ConditionOperator.Equal, CallbackNumber.StateActive);
            var agent = query.AddLink(SystemUser.EntityName, CallbackNumber.AgentId, SystemUser.Id, JoinOperator.LeftOuter);
            agent.EntityAlias = AgentAlias;
            agent.Columns = new ColumnSet(SystemUser.EntraObjectId);

            var lease = _service.RetrieveMultiple(query).Entities.FirstOrDefault();
            if (lease == null)
            {
                return CallbackResolution.NotMatched;
            }

            return new CallbackResolution(true, lease.GetAttributeValue<EntityReference>(CallbackNumber.AgentId).Id,
                lease.GetAttributeValue<EntityReference>(CallbackNumber.EmergencyCallId).Id,
                lease.GetAttributeValue<DateTime>(CallbackNumber.LeaseExpiresOn),
                lease.GetAttributeValue<AliasedValue>(AgentAlias + "." + SystemUser.EntraObjectId)?.Value as Guid?);
        }
    }

    internal sealed class CallbackResolution
    {
        public static readonly CallbackResolution NotMatched = new CallbackResolution(false, null, null, null, null);

        public CallbackResolution(bool matched, Guid? agentId, Guid? emergencyCallId, DateTime? expiresOn, Guid? agentEntraObjectId)
        {
            Matched = matched;
            AgentId = agentId;
            EmergencyCallId = emergencyCallId;
            ExpiresOn = expiresOn;
            AgentEntraObjectId = agentEntraObjectId;
        }

        public bool Matched { get; }

        public Guid? AgentId { get; }

        public Guid? EmergencyCallId { get; }

        public DateTime? ExpiresOn { get; }

        /// <summary>The lease holder's systemuser.azureactivedirectoryobjectid; null for a user without one.</summary>
        public Guid? AgentEntraObjectId { get; }
    }
}
