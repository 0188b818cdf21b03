using System;
using System.ServiceModel;
using EmergencySolution.Privacy;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Runtime
{
    /// <summary>
    /// One answer, for every room, to "an organization-service request failed: may the caller fall back and go on?", and
    /// the words for it. A request can fail with a fault, a timeout or any other exception (a dropped connection, a
    /// plugin of someone else's that threw); all of them are recoverable for a caller that has a fallback. Only the
    /// runtime's own emergencies (out of memory, a stack overflow, a thread abort) are not.
    /// </summary>
    /// <remarks>
    /// Falling back is safe after a failed READ: it does not end the transaction. A failed WRITE inside a transaction
    /// ends it on the platform whatever the plugin does, so writes are never caught and carried on from on a synchronous
    /// path; there the sender retries (Start with the same IdempotencyKey).
    /// </remarks>
    internal static class ServiceFailures
    {
        public static bool IsRecoverable(Exception exception) =>
            !(exception is OutOfMemoryException || exception is StackOverflowException || exception is System.Threading.ThreadAbortException);

        /// <summary>What failed, with every digit run of 3 or more removed (fault texts can echo phone numbers).</summary>
        public static string Describe(Exception exception)
        {
            switch (exception)
            {
                case FaultException<OrganizationServiceFault> fault:
                    return PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message);
                case TimeoutException timeout:
                    return "timed out: " + PhoneNumberPrivacy.Redact(timeout.Message);
                default:
                    return exception.GetType().Name + ": " + PhoneNumberPrivacy.Redact(exception.Message);
            }
        }
    }
}
