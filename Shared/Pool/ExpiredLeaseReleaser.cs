using System;
using System.Collections.Generic;
using System.Linq;
using EmergencySolution.Model;
using EmergencySolution.Notification;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Pool
{
    /// <summary>
    /// The documented clean-up: releases expired callback leases, and takes the personal data off every emergency call
    /// whose callback window is over (leased or not): the dialed and callback numbers and the location on the call row,
    /// and the numbers in the stored copy of its notification email (the email that went out is unchanged).
    /// </summary>
    /// <remarks>
    /// Requests, one at a time (no batch request types): (1) the expired leases, (2) the calls past their window that
    /// still hold personal data, then per expired lease a same-value write that takes its row lock, (3) one read of
    /// those leases again under the locks (a Start that re-leased a number in between keeps its lease), then one write
    /// per lease released and per call cleared, (4) one read of the stored notification emails of those calls (the
    /// email's id is the call's id, see <see cref="Notification.EmergencyNotificationSender"/>) and one write per email
    /// that still carries digits. So 3 + 2 × leases + calls + 1 + emails; a run handles at most
    /// <see cref="MaxRowsPerRun"/> leases and as many calls, and the next scheduled run picks up the rest.
    /// No write here is expected to fail: a failed write ends the whole run on the platform, and nothing of it is kept.
    /// </remarks>
    internal sealed class ExpiredLeaseReleaser
    {
        /// <summary>Leases (and calls) per run: about 5 requests each at most, so one run stays well inside 2 minutes.</summary>
        public const int MaxRowsPerRun = 200;

        private const string CallbackAlias = "callback";

        /// <summary>What stands in a stored email where a number or the location was.</summary>
        public const string Removed = "[removed after the callback window]";

        private readonly IOrganizationService _system;
        private readonly ITracingService _tracing;

        public ExpiredLeaseReleaser(IOrganizationService systemService, ITracingService tracing)
        {
            _system = systemService;
            _tracing = tracing;
        }

        public int Release(DateTime nowUtc)
        {
            var expiredLeases = QueryExpiredLeases(nowUtc);
            var calls = QueryCallsPastTheirWindow(nowUtc);
            var stillExpired = LockLeasesStillExpired(expiredLeases, nowUtc);
            foreach (var lease in stillExpired)
            {
                _system.Update(new Entity(CallbackNumber.EntityName, lease.Id)
                {
                    [CallbackNumber.EmergencyCallId] = null,
                    [CallbackNumber.AgentId] = null,
                    [CallbackNumber.LeaseExpiresOn] = null,
                });
            }

            foreach (var call in calls)
            {
                _system.Update(CallbackNumberPool.CallNumbersCleared(call.Id));
            }

            var emailsStripped = StripNotificationEmails(calls);
            var released = stillExpired.Count;
            _tracing.Trace("Release: {0} lease(s) released, {1} call row(s) cleared, {2} stored email(s) stripped of numbers, {3} lease(s) re-leased meanwhile and kept.",
                released, calls.Count, emailsStripped, expiredLeases.Count - released);
            return released;
        }

        /// <summary>Request (1): pool rows whose lease has expired and that still name a call or an agent.</summary>
        private List<Entity> QueryExpiredLeases(DateTime nowUtc)
        {
            var query = new QueryExpression(CallbackNumber.EntityName)
            {
                ColumnSet = new ColumnSet(CallbackNumber.EmergencyCallId, CallbackNumber.CountryCode),
                TopCount = MaxRowsPerRun,
            };
            query.Criteria.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.LessEqual, nowUtc);
            var leased = new FilterExpression(LogicalOperator.Or);
            leased.AddCondition(CallbackNumber.EmergencyCallId, ConditionOperator.NotNull);
            leased.AddCondition(CallbackNumber.AgentId, ConditionOperator.NotNull);
            query.Criteria.AddFilter(leased);
            return _system.RetrieveMultiple(query).Entities.ToList();
        }

        /// <summary>
        /// Request (2): calls past their callback window that still hold personal data, each with its callback number
        /// (joined), which the stored email's clean-up needs after the call row is cleared.
        /// </summary>
        private IList<Entity> QueryCallsPastTheirWindow(DateTime nowUtc)
        {
            var query = new QueryExpression(EmergencyCall.EntityName)
            {
                ColumnSet = new ColumnSet(EmergencyCall.Location),
                TopCount = MaxRowsPerRun,
            };
            query.Criteria.AddCondition(EmergencyCall.CallbackExpiresOn, ConditionOperator.LessEqual, nowUtc);
            var holdsPersonalData = new FilterExpression(LogicalOperator.Or);
            holdsPersonalData.AddCondition(EmergencyCall.DialedNumber, ConditionOperator.NotNull);
            holdsPersonalData.AddCondition(EmergencyCall.CallbackNumberId, ConditionOperator.NotNull);
            holdsPersonalData.AddCondition(EmergencyCall.Location, ConditionOperator.NotNull);
            query.Criteria.AddFilter(holdsPersonalData);
            var callbackLink = query.AddLink(CallbackNumber.EntityName, EmergencyCall.CallbackNumberId, CallbackNumber.Id, JoinOperator.LeftOuter);
            callbackLink.EntityAlias = CallbackAlias;
            callbackLink.Columns = new ColumnSet(CallbackNumber.Number);
            return _system.RetrieveMultiple(query).Entities;
        }

        /// <summary>
        /// Claims first (one same-value write per lease takes its row lock), then request (3) keeps only the leases still
        /// expired under those locks: a Start that re-leased a number since the first query keeps its lease.
        /// </summary>
        private List<Entity> LockLeasesStillExpired(List<Entity> expiredLeases, DateTime nowUtc)
        {
            if (expiredLeases.Count == 0)
            {
                return new List<Entity>();
            }

            foreach (var lease in expiredLeases)
            {
                _system.Update(new Entity(CallbackNumber.EntityName, lease.Id)
                {
                    [CallbackNumber.CountryCode] = lease.GetAttributeValue<string>(CallbackNumber.CountryCode),
                });
            }

            var recheck = new QueryExpression(CallbackNumber.EntityName) { ColumnSet = new ColumnSet(CallbackNumber.EmergencyCallId) };
            recheck.Criteria.AddCondition(CallbackNumber.Id, ConditionOperator.In, expiredLeases.Select(lease => (object)lease.Id).ToArray());
            recheck.Criteria.AddCondition(CallbackNumber.LeaseExpiresOn, ConditionOperator.LessEqual, nowUtc);
            return _system.RetrieveMultiple(recheck).Entities.ToList();
        }

        /// <summary>
        /// The stored copies of the calls' notification emails lose the callback number and the location, exactly as the
        /// notification rendered them (plain in the subject, HTML-encoded in the body), read from the call before it is
        /// cleared. The rest of the text stays. One read, one write per email that carried either.
        /// </summary>
        private int StripNotificationEmails(IList<Entity> calls)
        {
            if (calls.Count == 0)
            {
                return 0;
            }

            var secretsByCall = calls.ToDictionary(call => call.Id, call => new[]
            {
                call.GetAttributeValue<AliasedValue>(CallbackAlias + "." + CallbackNumber.Number)?.Value as string,
                call.GetAttributeValue<string>(EmergencyCall.Location),
            }.Where(value => !string.IsNullOrWhiteSpace(value)).Select(value => value!).ToList());

            var query = new QueryExpression("email") { ColumnSet = new ColumnSet("subject", "description") };
            query.Criteria.AddCondition("activityid", ConditionOperator.In, calls.Select(call => (object)call.Id).ToArray());
            var stripped = 0;
            foreach (var email in _system.RetrieveMultiple(query).Entities)
            {
                if (!secretsByCall.TryGetValue(email.Id, out var secrets) || secrets.Count == 0)
                {
                    continue;
                }

                var subject = email.GetAttributeValue<string>("subject") ?? string.Empty;
                var description = email.GetAttributeValue<string>("description") ?? string.Empty;
                var newSubject = subject;
                var newDescription = description;
                foreach (var secret in secrets)
                {
                    newSubject = newSubject.Replace(EmergencyTokenRenderer.AsPlainText(secret), Removed);
                    newDescription = newDescription.Replace(EmergencyTokenRenderer.AsHtml(secret), Removed);
                }

                if (newSubject == subject && newDescription == description)
                {
                    continue;
                }

                _system.Update(new Entity("email", email.Id) { ["subject"] = newSubject, ["description"] = newDescription });
                stripped++;
            }

            return stripped;
        }
    }
}
