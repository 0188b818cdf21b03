using System;
using System.Collections.Generic;
using System.Linq;

namespace EmergencySolution.Presence
{
    /// <summary>What the presence step knows about one of the agent's emergency calls (read in its one query).</summary>
    internal sealed class CallPresenceFacts
    {
        public CallPresenceFacts(Guid callId, bool isActive, Guid? priorPresenceId, DateTime startedOn, DateTime? endedOn, bool presenceIsOurs)
        {
            CallId = callId;
            IsActive = isActive;
            PriorPresenceId = priorPresenceId;
            StartedOn = startedOn;
            EndedOn = endedOn;
            PresenceIsOurs = presenceIsOurs;
        }

        public Guid CallId { get; }

        public bool IsActive { get; }

        /// <summary>The presence Start saw (or the one the presence step carried over from an overlapping call).</summary>
        public Guid? PriorPresenceId { get; }

        public DateTime StartedOn { get; }

        public DateTime? EndedOn { get; }

        /// <summary>False where the platform's built-in feature switches presence itself (Microsoft-number path, by default).</summary>
        public bool PresenceIsOurs { get; }
    }

    /// <summary>
    /// The agent's presence as a function of all their emergency calls, whatever order Start, End, the conversation-closed
    /// safety net and the asynchronous presence steps ran in:
    /// <list type="bullet">
    /// <item>while any of the agent's calls is active, Do not disturb;</item>
    /// <item>after the last one ended, the presence from before the first of the overlapping calls.</item>
    /// </list>
    /// Pure: no round trips. <see cref="PresenceReconciler"/> reads the facts and carries out the plan.
    /// </summary>
    /// <remarks>
    /// Why "from before the first": a redial while an earlier call is still active (its End queued behind a dropped
    /// call), or while its restore has not yet run, makes Start see Do not disturb as the agent's presence. The plan
    /// then carries the earlier call's prior over to the new call (<see cref="CarryOverPrior"/>), so the presence restored
    /// when the last call ends is the one from before the first.
    /// </remarks>
    internal sealed class PresencePlan
    {
        /// <summary>How long after a call ended its prior still counts for a redial made in Do not disturb.</summary>
        public static readonly TimeSpan RedialWindow = TimeSpan.FromMinutes(10);

        private PresencePlan(Guid? target, string reason, Guid? carryOverPrior)
        {
            Target = target;
            Reason = reason;
            CarryOverPrior = carryOverPrior;
        }

        /// <summary>The presence to set with CCaaS_ModifyAgentPresence, or null when nothing is to be changed.</summary>
        public Guid? Target { get; }

        /// <summary>Why (for the trace; no numbers).</summary>
        public string Reason { get; }

        /// <summary>A prior to write onto the call this step runs for (it started in our own Do not disturb), or null.</summary>
        public Guid? CarryOverPrior { get; }

        /// <param name="calls">The agent's calls that are active or ended recently, the triggering one included.</param>
        /// <param name="triggeringCallId">The call whose Create or End the step runs for.</param>
        /// <param name="currentPresenceId">msdyn_agentstatus.msdyn_currentpresenceid (null: no status row).</param>
        /// <param name="doNotDisturb">The Do not disturb presence the solution sets.</param>
        public static PresencePlan Decide(IReadOnlyList<CallPresenceFacts> calls, Guid triggeringCallId, Guid? currentPresenceId,
            Guid doNotDisturb, DateTime nowUtc)
        {
            var ours = calls.Where(c => c.PresenceIsOurs).ToList();
            var triggering = ours.FirstOrDefault(c => c.CallId == triggeringCallId);
            if (triggering == null)
            {
                return new PresencePlan(null, "the call's presence is left to the platform (or the call is gone)", null);
            }

            var carryOver = EffectivePrior(ours, triggering, doNotDisturb);
            if (carryOver == triggering.PriorPresenceId)
            {
                carryOver = null;
            }

            if (ours.Any(c => c.IsActive))
            {
                return currentPresenceId == doNotDisturb
                    ? new PresencePlan(null, "an emergency call is active and the agent is already in Do not disturb", carryOver)
                    : new PresencePlan(doNotDisturb, "an emergency call is active", carryOver);
            }

            // All ended: the prior of the call that ended last, carried over from the calls it overlapped.
            var last = ours.OrderByDescending(c => c.EndedOn ?? c.StartedOn).ThenByDescending(c => c.StartedOn).First();
            var prior = EffectivePrior(ours, last, doNotDisturb);
            if (!prior.HasValue)
            {
                return new PresencePlan(null, "the last call ended, and no prior presence was recorded", carryOver);
            }

            return currentPresenceId == prior
                ? new PresencePlan(null, "the last call ended, and the agent already has the prior presence", carryOver)
                : new PresencePlan(prior, "the last call ended: the prior presence is restored", carryOver);
        }

        /// <summary>
        /// A call's prior, or, when Start saw the solution's own Do not disturb, the prior of the nearest earlier call that
        /// was still active or had ended within <see cref="RedialWindow"/> when this one started (followed back).
        /// </summary>
        private static Guid? EffectivePrior(IReadOnlyList<CallPresenceFacts> ours, CallPresenceFacts call, Guid doNotDisturb)
        {
            var current = call;
            for (var hops = 0; hops < ours.Count && current.PriorPresenceId == doNotDisturb; hops++)
            {
                var started = current.StartedOn;
                var earlier = ours
                    .Where(c => c.CallId != current.CallId && c.StartedOn <= started
                        && (!c.EndedOn.HasValue || c.EndedOn.Value >= started - RedialWindow))
                    .OrderByDescending(c => c.StartedOn)
                    .FirstOrDefault();
                if (earlier == null)
                {
                    break;
                }

                current = earlier;
            }

            return current.PriorPresenceId;
        }
    }
}
