using System;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Lifecycle
{
    /// <summary>Who is behind a lifecycle request, as far as the execution context tells without a round trip.</summary>
    internal static class CallerIdentity
    {
        /// <summary>
        /// True when the request carries no user at all (an empty user id), which is how a platform-internal
        /// execution shows up. A SYSTEM service created by a plugin otherwise acts for the initiating user, which
        /// lifecycle APIs check instead (see emc_EndEmergencyCall).
        /// </summary>
        public static bool IsSystem(IExecutionContext context)
        {
            return context.UserId == Guid.Empty;
        }
    }
}
