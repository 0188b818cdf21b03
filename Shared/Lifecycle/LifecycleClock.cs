using System;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Lifecycle
{
    /// <summary>
    /// The one source of "now" for lifecycle code: the platform's <see cref="IExecutionContext.OperationCreatedOn"/>.
    /// The local clock of a sandbox worker is not the org's clock, and tests set the org clock.
    /// </summary>
    internal static class LifecycleClock
    {
        public static DateTime UtcNow(IExecutionContext context)
        {
            var created = context.OperationCreatedOn;
            if (created == default(DateTime))
            {
                return DateTime.UtcNow;
            }

            return created.Kind == DateTimeKind.Local ? created.ToUniversalTime() : DateTime.SpecifyKind(created, DateTimeKind.Utc);
        }
    }
}
