using System;
using System.Collections.Generic;
using System.Linq;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Pool
{
    /// <summary>
    /// The callback pool as Start sees it: which numbers may be leased to an agent now, how one is claimed under its row
    /// lock, and the writes that lease it and clear the numbers of the call that held it before.
    /// </summary>
    /// <remarks>
    /// Runs as SYSTEM: agents hold no privilege on the pool. The lease itself is written by the caller in the same
    /// transaction as the call row (see <see cref="Lifecycle.EmergencyCallStarter"/>), so a call and its lease are
    /// stored together or not at all.
    /// </remarks>
    internal sealed class CallbackNumberPool
    {
        /// <summary>Free numbers fetched per pool query; a taken one moves to the next without another query.</summary>
        public const int CandidatesPerQuery = 5;

        /// <summary>Pool queries per start at most: bounded so that a storm of simultaneous starts cannot hold the call.</summary>
        public const int MaxPoolQueries = 3;

        private readonly IOrganizationService _system;

        public CallbackNumberPool(IOrganizationService systemService)
        {
            _system = systemService;
        }

        /// <summary>Free, expired, or already leased to this agent (a second call keeps the number the responder has).</summary>
        public static bool IsAvailableTo(Entity poolRow, Guid agentId, DateTime nowUtc)
        {
            var expires = poolRow.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn);
            if (!expires.HasValue || expires.Value <= nowUtc)
            {
                return true;
            }

            return poolRow.GetAttributeValue<EntityReference>(CallbackNumber.AgentId)?.Id == agentId;
        }

        /// <summary>The write that takes a call's phone numbers off its row (the lease is over, or was taken over).</summary>
        public static Entity CallNumbersCleared(Guid callId)
        {
            return new Entity(EmergencyCall.EntityName, callId)
            {
                [EmergencyCall.DialedNumber] = null,
                [EmergencyCall.CallbackNumberId] = null,
            };
        }

        /// <summary>
        /// The lease write, on the row version read under the claim's lock (IfRowVersionMatches): it can only fail if the
        /// lock did not hold, and then fails the whole start rather than give one number two holders.
        /// </summary>
        public static UpdateRequest LeaseTo(Entity claimed, Guid callId, Guid agentId, DateTime leaseExpiresOn)
        {
            return new UpdateRequest
            {
                Target = new Entity(CallbackNumber.EntityName, claimed.Id)
                {
                    RowVersion = claimed.RowVersion,
                    [CallbackNumber.EmergencyCallId] = new EntityReference(EmergencyCall.EntityName, callId),
                    [CallbackNumber.AgentId] = new EntityReference(SystemUser.EntityName, agentId),
                    [CallbackNumber.LeaseExpiresOn] = leaseExpiresOn,
                },
                ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
            };
        }

        /// <summary>
        /// Taking over an expired lease: the previous call's numbers go now, as the design promises. Null when the
        /// number was free or its lease is the agent's own live one.
        /// </summary>
        public static Guid? ExpiredPreviousCall(Entity claimed, DateTime nowUtc)
        {
            var previousCall = claimed.GetAttributeValue<EntityReference>(CallbackNumber.EmergencyCallId);
            var previousExpiry = claimed.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn);
            return previousCall != null && previousExpiry.HasValue && previousExpiry.Value <= nowUtc ? previousCall.Id : (Guid?)null;
        }

        /// <summary>
        /// Up to <see cref="CandidatesPerQuery"/> numbers of the country that the agent may lease: never-leased numbers
        /// first, then the longest-expired, then the agent's own live lease.
        /// </summary>
        public List<Entity> QueryCandidates(Guid agentId, string countryCode, DateTime nowUtc)
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
            return rows
                .OrderBy(row => row.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn) is DateTime expires && expires > nowUtc ? 1 : 0)
                .ThenBy(row => row.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn) ?? DateTime.MinValue)
                .ToList();
        }

        /// <summary>
        /// One round trip: a same-value write (the row lock: a simultaneous start waits for our commit instead of racing
        /// us) followed by a read of the row under that lock. Returns null when the row is gone.
        /// </summary>
        public Entity? Claim(Entity candidate)
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
    }
}
