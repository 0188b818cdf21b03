using System;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// The platform's error codes and the fault shape the real organization service throws
    /// (<see cref="FaultException{OrganizationServiceFault}"/>), so tests can assert on the same codes.
    /// </summary>
    public static class ErrorCodes
    {
        /// <summary>0x80040217 ObjectDoesNotExist.</summary>
        public const int ObjectDoesNotExist = unchecked((int)0x80040217);

        /// <summary>0x80040237 DuplicateRecord (duplicate primary key or alternate key).</summary>
        public const int DuplicateRecord = unchecked((int)0x80040237);

        /// <summary>0x80040220 PrivilegeDenied ("principal user is missing privilege").</summary>
        public const int PrivilegeDenied = unchecked((int)0x80040220);

        /// <summary>
        /// -2147187962: a privilege check passed but the record's access check failed ("Principal with ID … does not
        /// have ReadAccess right(s) for record …", "Troubleshoot Dataverse client errors").
        /// </summary>
        public const int AccessDenied = -2147187962;

        /// <summary>0x80044331 StringLengthTooLong: a text longer than its column's maximum length (a validation error).</summary>
        public const int StringLengthTooLong = unchecked((int)0x80044331);

        /// <summary>0x80040265 IsvAborted: what a plugin's InvalidPluginExecutionException becomes.</summary>
        public const int IsvAborted = unchecked((int)0x80040265);

        /// <summary>0x80040224 Unexpected: a plugin threw something other than InvalidPluginExecutionException.</summary>
        public const int IsvUnexpected = unchecked((int)0x80040224);

        /// <summary>0x80060882 ConcurrencyVersionMismatch: stale RowVersion with IfRowVersionMatches.</summary>
        public const int ConcurrencyVersionMismatch = unchecked((int)0x80060882);

        /// <summary>0x80060883 ConcurrencyVersionNotProvided: IfRowVersionMatches without a RowVersion.</summary>
        public const int ConcurrencyVersionNotProvided = unchecked((int)0x80060883);

        /// <summary>-2146893812: a plugin swallowed a failed data operation inside the transaction and went on.</summary>
        public const int IsvReducedTransactionCount = -2146893812;

        /// <summary>0x80040203 InvalidArgument (bad or missing custom API parameter).</summary>
        public const int InvalidArgument = unchecked((int)0x80040203);

        /// <summary>
        /// -2147204784 "Generic SQL error" (Sql Number 1205): a transaction chosen as a deadlock victim, as when two
        /// operations update the same rows concurrently (learn.microsoft.com, "Troubleshoot Dataverse bulk operation errors").
        /// </summary>
        public const int SqlError = -2147204784;

        /// <summary>-2147204783 "SQL timeout expired" (Sql Number -2), same page.</summary>
        public const int SqlTimeout = -2147204783;

        /// <summary>
        /// 0x8004430D TooManyLinkEntitiesInQuery: "Number of link entities in query exceeded maximum limit." (more than
        /// 15 LinkEntity in one query, "Join tables using QueryExpression", Limitations).
        /// </summary>
        public const int TooManyLinkEntitiesInQuery = unchecked((int)0x8004430D);

        /// <summary>0x8004431A: a message the organization does not know.</summary>
        public const int MessageNotFound = unchecked((int)0x8004431A);
    }

    internal static class Faults
    {
        public static FaultException<OrganizationServiceFault> Create(int errorCode, string message)
        {
            var fault = new OrganizationServiceFault { ErrorCode = errorCode, Message = message, Timestamp = DateTime.UtcNow };
            return new FaultException<OrganizationServiceFault>(fault, new FaultReason(message));
        }

        public static FaultException<OrganizationServiceFault> DoesNotExist(string entityName, Guid id) =>
            Create(ErrorCodes.ObjectDoesNotExist, $"{entityName} With Id = {id:D} Does Not Exist");

        public static FaultException<OrganizationServiceFault> DoesNotExistByKey(string entityName, string keyDescription) =>
            Create(ErrorCodes.ObjectDoesNotExist, $"A record with the specified key values does not exist in {entityName} entity ({keyDescription})");

        public static FaultException<OrganizationServiceFault> Duplicate(string entityName, string detail) =>
            Create(ErrorCodes.DuplicateRecord, $"Cannot insert duplicate key. A record that has the attribute values {detail} already exists in {entityName}.");

        public static FaultException<OrganizationServiceFault> FromPluginException(InvalidPluginExecutionException exception) =>
            Create(exception.ErrorCode != 0 ? exception.ErrorCode : ErrorCodes.IsvAborted, exception.Message);

        public static FaultException<OrganizationServiceFault> InvalidArgument(string message) =>
            Create(ErrorCodes.InvalidArgument, message);
    }
}
