using System;
using System.Runtime.Serialization;
using System.Text;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>Common fault data of the SDK services.</summary>
    [DataContract(Name = "BaseServiceFault", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public abstract class BaseServiceFault : IExtensibleDataObject
    {
        private ErrorDetailCollection _errorDetails;

        protected BaseServiceFault()
        {
        }

        [DataMember]
        public int ErrorCode { get; set; }

        [DataMember]
        public ErrorDetailCollection ErrorDetails
        {
            get { return _errorDetails ?? (_errorDetails = new ErrorDetailCollection()); }
            set { _errorDetails = value; }
        }

        [DataMember]
        public string Message { get; set; }

        [DataMember]
        public DateTime Timestamp { get; set; }

        [DataMember]
        public Guid ActivityId { get; set; }

        [DataMember]
        public string HelpLink { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>
    /// The detail of the <c>FaultException&lt;OrganizationServiceFault&gt;</c> the organization service throws.
    /// </summary>
    [DataContract(Name = "OrganizationServiceFault", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public class OrganizationServiceFault : BaseServiceFault
    {
        [DataMember]
        public OrganizationServiceFault InnerFault { get; set; }

        [DataMember]
        public string TraceText { get; set; }

        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append("OrganizationServiceFault: ErrorCode 0x").Append(ErrorCode.ToString("X8"))
                .Append(", Message: ").Append(Message);
            if (InnerFault != null)
            {
                text.Append(" ---> ").Append(InnerFault);
            }

            return text.ToString();
        }
    }

    /// <summary>
    /// The detail of the fault ExecuteTransaction throws when one of its requests fails: the whole transaction is rolled
    /// back and <see cref="FaultedRequestIndex"/> is the index, in the Requests collection, of the request that failed
    /// ("Execute messages in a single database transaction" in the Dataverse developer guide). Callers catch
    /// <c>FaultException&lt;OrganizationServiceFault&gt;</c> and cast its Detail to this type.
    /// </summary>
    [DataContract(Name = "ExecuteTransactionFault", Namespace = "http://schemas.microsoft.com/xrm/7.1/Contracts")]
    public sealed class ExecuteTransactionFault : OrganizationServiceFault
    {
        [DataMember]
        public int FaultedRequestIndex { get; set; }
    }

    /// <summary>
    /// The exception a plugin throws to fail the operation; its message reaches the caller.
    /// </summary>
    [Serializable]
    public sealed class InvalidPluginExecutionException : Exception, ISerializable
    {
        public InvalidPluginExecutionException()
        {
        }

        public InvalidPluginExecutionException(string message)
            : base(message)
        {
        }

        public InvalidPluginExecutionException(string message, Exception inner)
            : base(message, inner)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status)
        {
            Status = status;
        }

        public InvalidPluginExecutionException(OperationStatus status, string message)
            : base(message)
        {
            Status = status;
        }

        public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message)
            : base(message)
        {
            Status = status;
            ErrorCode = errorCode;
        }

        public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message, PluginHttpStatusCode httpStatus)
            : base(message)
        {
            Status = status;
            ErrorCode = errorCode;
            HttpStatus = httpStatus;
        }

        public InvalidPluginExecutionException(string message, PluginHttpStatusCode httpStatus)
            : base(message)
        {
            HttpStatus = httpStatus;
        }

        private InvalidPluginExecutionException(SerializationInfo info, StreamingContext context)
#pragma warning disable SYSLIB0051 // legacy serialization: the real type is [Serializable] with this shape
            : base(info, context)
#pragma warning restore SYSLIB0051
        {
            Status = (OperationStatus)info.GetInt32(nameof(Status));
            ErrorCode = info.GetInt32(nameof(ErrorCode));
            HttpStatus = (PluginHttpStatusCode)info.GetInt32(nameof(HttpStatus));
        }

        /// <summary>Failed unless given; the platform treats Failed and Canceled as a failed operation.</summary>
        public OperationStatus Status { get; private set; }

        public int ErrorCode { get; private set; }

        public PluginHttpStatusCode HttpStatus { get; private set; }

#if NET
        [Obsolete("Legacy serialization, kept because the real SDK exposes it.", DiagnosticId = "SYSLIB0051")]
#endif
        public override void GetObjectData(SerializationInfo info, StreamingContext context)
        {
#pragma warning disable SYSLIB0051
            base.GetObjectData(info, context);
#pragma warning restore SYSLIB0051
            info.AddValue(nameof(Status), (int)Status);
            info.AddValue(nameof(ErrorCode), ErrorCode);
            info.AddValue(nameof(HttpStatus), (int)HttpStatus);
        }
    }
}
