using System;
using System.Collections.Generic;
using System.Linq;
using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Pool
{
    /// <summary>
    /// Leases a callback number to a new emergency call, one request at a time (no batch request types). The agent's own
    /// live lease comes first and is renewed, so an agent holds at most one live lease of a country however often they
    /// start; only then a free number: never leased first, then the longest expired. Only active numbers whose stored
    /// text is a valid E.164 number of the country (<see cref="CallbackNumberFormat"/>) are leased.
    /// </summary>
    /// <remarks>
    /// Dataverse ends the whole transaction when a write fails inside it, even if the plugin catches the fault, so no
    /// write here is one that is expected to fail. A number is claimed pessimistically: a same-value write takes its row
    /// lock (a simultaneous start waits for our commit instead of racing us) and the row is read again under that lock.
    /// A candidate another start leased meanwhile is skipped for the next, with no fault raised. The lease itself is then
    /// written with IfRowVersionMatches on the version read under the lock: a belt-and-braces check that can only fail
    /// if the lock did not hold, and then fails the whole start (which the sender retries) rather than give one number
    /// two holders. A failed read is not a failed write: the pool query falls back to "no number" with a warning.
    /// </remarks>
    internal sealed class CallbackNumberPool
    {
        /// <summary>Free numbers fetched per pool query; a taken one moves to the next without another query.</summary>
        public const int CandidatesPerQuery = 5;

        /// <summary>Pool queries per start at most: bounded so that a storm of simultaneous starts cannot hold the call.</summary>
        public const int MaxPoolQueries = 3;

        private static readonly ColumnSet ClaimColumns = new ColumnSet(CallbackNumber.Number, CallbackNumber.CountryCode,
            CallbackNumber.LeaseExpiresOn, CallbackNumber.EmergencyCallId, CallbackNumber.AgentId, CallbackNumber.StateCode);

        private readonly IOrganizationService _system;
        private readonly ITracingService _tracing;

        public CallbackNumberPool(IOrganizationService systemService, ITracingService tracing)
        {
            _system = systemService;
            _tracing = tracing;
        }

        /// <summary>
        /// Claims a number for the agent's new call: their own live lease when <paramref name="ownLease"/> names one,
        /// otherwise a free one. Returns what was claimed (under its row lock) and whether the pool had a candidate.
        /// </summary>
        /// <param name="ownLease">The agent's live lease in this country (id and country as read), when known.</param>
        /// <param name="ownLeaseKnown">False when the look-up that finds the own lease failed: the pool query then asks
        /// for the agent's own live lease too, and puts it first.</param>
        public PoolClaim Claim(Guid agentId, string countryCode, PoolRowReference? ownLease, bool ownLeaseKnown, DateTime nowUtc, List<string> warnings)
        {
            if (ownLease != null)
            {
                var renewed = RenewOwnLease(ownLease, agentId, countryCode, nowUtc);
                if (renewed != null)
                {
                    return new PoolClaim(renewed, true);
                }
            }

            return ClaimFreeNumber(agentId, countryCode, includeOwnLease: !ownLeaseKnown, nowUtc, warnings);
        }

        /// <summary>Two requests (<see cref="ClaimRow"/>); null when the own lease is no longer live or leasable.</summary>
        private ClaimedNumber? RenewOwnLease(PoolRowReference ownLease, Guid agentId, string countryCode, DateTime nowUtc)
        {
            var renewed = ClaimRow(ownLease.Id, ownLease.CountryCode);
            if (renewed != null && IsLeasable(renewed, countryCode) && HeldBy(renewed, agentId, nowUtc))
            {
                _tracing.Trace("Start: the agent's own live callback lease is renewed.");
                return new ClaimedNumber(renewed, true);
            }

            _tracing.Trace("Start: the agent's own lease is no longer live or leasable; a free number is leased instead.");
            return null;
        }

        /// <summary>
        /// At most <see cref="MaxPoolQueries"/> pool queries, each followed by claims of its candidates in order until one
        /// is still available under its row lock. Every way of ending without a number leaves a warning, except an empty
        /// pool at the first query (the readiness line about the empty pool says it, and what to do).
        /// </summary>
        private PoolClaim ClaimFreeNumber(Guid agentId, string countryCode, bool includeOwnLease, DateTime nowUtc, List<string> warnings)
        {
            bool? poolHadCandidates = null;
            var skipped = 0;
            for (var round = 0; round < MaxPoolQueries; round++)
            {
                var candidates = TryQueryCandidates(agentId, countryCode, nowUtc, includeOwnLease, warnings);
                if (candidates == null)
                {
                    return new PoolClaim(null, poolHadCandidates);
                }

                if (round == 0)
                {
                    poolHadCandidates = candidates.Count > 0;
                }

                if (candidates.Count == 0)
                {
                    if (round > 0)
                    {
                        warnings.Add("No callback number was leased: every free number for " + countryCode +
                            " was taken by simultaneous emergency calls.");
                    }

                    return new PoolClaim(null, poolHadCandidates);
                }

                var claimed = ClaimFirstAvailable(candidates, agentId, countryCode, nowUtc, ref skipped);
                if (claimed != null)
                {
                    return new PoolClaim(claimed, poolHadCandidates);
                }
            }

            warnings.Add("No callback number was leased: every candidate for " + countryCode +
                " was taken by simultaneous emergency calls.");
            return new PoolClaim(null, poolHadCandidates);
        }

        /// <summary>The pool query; null, with a warning, when it failed.</summary>
        private List<Entity>? TryQueryCandidates(Guid agentId, string countryCode, DateTime nowUtc, bool includeOwnLease, List<string> warnings)
        {
            try
            {
                return QueryCandidates(agentId, countryCode, nowUtc, includeOwnLease);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                // A failed read does not end the transaction; the call goes on without a number.
                warnings.Add("No callback number was leased: the pool could not be read (" + ServiceFailures.Describe(exception) + ").");
                return null;
            }
        }

        /// <summary>
        /// Claims the candidates in order (two requests each) and returns the first still leasable and available to the
        /// agent under its row lock; a candidate another start took meanwhile is counted in <paramref name="skipped"/>.
        /// </summary>
        private ClaimedNumber? ClaimFirstAvailable(List<Entity> candidates, Guid agentId, string countryCode, DateTime nowUtc, ref int skipped)
        {
            foreach (var candidate in candidates)
            {
                var claimed = ClaimRow(candidate.Id, candidate.GetAttributeValue<string>(CallbackNumber.CountryCode));
                if (claimed == null || !IsLeasable(claimed, countryCode) || !IsAvailableTo(claimed, agentId, nowUtc))
                {
                    skipped++;
                    _tracing.Trace("Start: callback candidate taken by another start ({0} skipped); trying the next.", skipped);
                    continue;
                }

                _tracing.Trace("Start: callback number claimed ({0} candidate(s) skipped).", skipped);
                return new ClaimedNumber(claimed, HeldBy(claimed, agentId, nowUtc));
            }

            return null;
        }

        /// <summary>One write: the lease, on the version read under the claim's row lock.</summary>
        public void WriteLease(ClaimedNumber claimed, Guid callId, Guid agentId, DateTime leaseExpiresOn)
        {
            _system.Execute(new UpdateRequest
            {
                Target = new Entity(CallbackNumber.EntityName, claimed.Id)
                {
                    RowVersion = claimed.RowVersion,
                    [CallbackNumber.EmergencyCallId] = new EntityReference(EmergencyCall.EntityName, callId),
                    [CallbackNumber.AgentId] = new EntityReference(SystemUser.EntityName, agentId),
                    [CallbackNumber.LeaseExpiresOn] = leaseExpiresOn,
                },
                ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
            });
        }

        /// <summary>
        /// The write that takes a call's personal data off its row once its callback window is over: the dialed number,
        /// the callback number and the location (the clean-up, <see cref="ExpiredLeaseReleaser"/>).
        /// </summary>
        public static Entity CallNumbersCleared(Guid callId)
        {
            return new Entity(EmergencyCall.EntityName, callId)
            {
                [EmergencyCall.DialedNumber] = null,
                [EmergencyCall.CallbackNumberId] = null,
                [EmergencyCall.Location] = null,
            };
        }

        /// <summary>Free (never leased), expired, or already leased to this agent (a second call keeps the responder's number).</summary>
        internal static bool IsAvailableTo(Entity poolRow, Guid agentId, DateTime nowUtc)
        {
            var expires = poolRow.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn);
            if (!expires.HasValue || expires.Value <= nowUtc)
            {
                return true;
            }

            return poolRow.GetAttributeValue<EntityReference>(CallbackNumber.AgentId)?.Id == agentId;
        }

        /// <summary>Active, of the call's country, and stored as a valid E.164 number of that country.</summary>
        internal static bool IsLeasable(Entity poolRow, string countryCode)
        {
            var state = poolRow.GetAttributeValue<OptionSetValue>(CallbackNumber.StateCode)?.Value ?? CallbackNumber.StateActive;
            var country = poolRow.GetAttributeValue<string>(CallbackNumber.CountryCode);
            return state == CallbackNumber.StateActive
                && string.Equals(country, countryCode, StringComparison.Ordinal)
                && CallbackNumberFormat.IsValidStored(poolRow.GetAttributeValue<string>(CallbackNumber.Number), country);
        }

        private static bool HeldBy(Entity poolRow, Guid agentId, DateTime nowUtc) =>
            poolRow.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn) is DateTime expires && expires > nowUtc
            && poolRow.GetAttributeValue<EntityReference>(CallbackNumber.AgentId)?.Id == agentId;

        /// <summary>
        /// Two requests: a same-value write (the row lock), then a read of the row under that lock. Null when the row is
        /// gone. The write names the country it read, so it changes nothing; a failure here fails the start, which the
        /// sender retries.
        /// </summary>
        private Entity? ClaimRow(Guid id, string? countryAsRead)
        {
            _system.Update(new Entity(CallbackNumber.EntityName, id) { [CallbackNumber.CountryCode] = countryAsRead });
            var rows = _system.RetrieveMultiple(ById(id)).Entities;
            return rows.FirstOrDefault();
        }

        private static QueryExpression ById(Guid id)
        {
            // RetrieveMultiple rather than Retrieve: a row deleted meanwhile is "no row", not a fault.
            var query = new QueryExpression(CallbackNumber.EntityName) { ColumnSet = ClaimColumns, TopCount = 1 };
            query.Criteria.AddCondition(CallbackNumber.Id, ConditionOperator.Equal, id);
            return query;
        }

        private List<Entity> QueryCandidates(Guid agentId, string countryCode, DateTime nowUtc, bool includeOwnLease)
        {
            var query = new QueryExpression(CallbackNumber.EntityName)
            {
                ColumnSet = ClaimColumns,
                TopCount = CandidatesPerQuery,
            };
            query.Criteria.AddCondition(CallbackNumber.CountryCode, ConditionOperator.Equal, countryCode);
            query.Criteria.AddCondition(CallbackNumber.StateCode, ConditionOperator.Equal, CallbackNumber.StateActive);
            var free = new FilterExpression(LogicalOperator.Or);
            free.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.Null);
            free.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.LessEqual, nowUtc);
            if (includeOwnLease)
            {
                free.AddCondition(CallbackNumber.AgentId, ConditionOperator.Equal, agentId);
            }

            query.Criteria.AddFilter(free);
            query.AddOrder(CallbackNumber.LeaseExpiresOn, OrderType.Ascending);
            query.AddOrder(CallbackNumber.Number, OrderType.Ascending);

            // The agent's own live lease first (when asked for), then never leased, then the longest expired; numbers
            // whose stored text is not valid for the country are never leased (a row saved before the save step existed).
            return _system.RetrieveMultiple(query).Entities
                .Where(row =>
                {
                    var leasable = IsLeasable(row, countryCode);
                    if (!leasable)
                    {
                        _tracing.Trace("Start: callback number row {0} is not a valid {1} number; it is not leased. Correct it in the pool.", row.Id, countryCode);
                    }

                    return leasable;
                })
                .OrderBy(row => HeldBy(row, agentId, nowUtc) ? 0 : 1)
                .ThenBy(row => row.GetAttributeValue<DateTime?>(CallbackNumber.LeaseExpiresOn) ?? DateTime.MinValue)
                .ToList();
        }
    }

    /// <summary>A pool row as a look-up read it: enough to claim it again.</summary>
    internal sealed class PoolRowReference
    {
        public PoolRowReference(Guid id, string? countryCode)
        {
            Id = id;
            CountryCode = countryCode;
        }

        public Guid Id { get; }

        public string? CountryCode { get; }
    }

    /// <summary>The outcome of <see cref="CallbackNumberPool.Claim"/>.</summary>
    internal sealed class PoolClaim
    {
        public PoolClaim(ClaimedNumber? number, bool? poolHadCandidates)
        {
            Number = number;
            PoolHadCandidates = poolHadCandidates;
        }

        /// <summary>The claimed number, under its row lock; null when none could be claimed.</summary>
        public ClaimedNumber? Number { get; }

        /// <summary>Did the first pool query find a candidate? Null when the pool was not queried (own lease renewed, or the read failed).</summary>
        public bool? PoolHadCandidates { get; }

        /// <summary>
        /// What readiness is told about the pool: null when no pool number was wanted (or the pool is unknown), true when
        /// a number was claimed or the pool had candidates, false when it had none.
        /// </summary>
        public bool? PoolHasNumber(bool leaseWanted) =>
            !leaseWanted ? null : Number != null || PoolHadCandidates == true ? true : PoolHadCandidates;
    }

    /// <summary>A pool row read again under its row lock.</summary>
    internal sealed class ClaimedNumber
    {
        public ClaimedNumber(Entity row, bool renewsOwnLease)
        {
            Id = row.Id;
            Number = row.GetAttributeValue<string>(CallbackNumber.Number) ?? string.Empty;
            RowVersion = row.RowVersion;
            RenewsOwnLease = renewsOwnLease;
        }

        public Guid Id { get; }

        public string Number { get; }

        public string? RowVersion { get; }

        /// <summary>The agent already held this number: the lease is renewed and moves to the new call.</summary>
        public bool RenewsOwnLease { get; }
    }
}
