using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Sdk;

[TestClass]
public sealed class FaultTests
{
    [TestMethod]
    public void FaultException_WithOrganizationServiceFault_CarriesDetail()
    {
        var fault = new OrganizationServiceFault
        {
            ErrorCode = unchecked((int)0x80060882),
            Message = "The version of the existing record doesn't match the RowVersion property provided.",
            TraceText = "trace",
            InnerFault = new OrganizationServiceFault { ErrorCode = 1 },
        };
        fault.ErrorDetails["Key"] = "Value";

        var exception = new FaultException<OrganizationServiceFault>(fault, new FaultReason(fault.Message));

        Assert.AreSame(fault, exception.Detail);
        Assert.AreEqual(unchecked((int)0x80060882), exception.Detail.ErrorCode);
        Assert.AreEqual(fault.Message, exception.Message);
        Assert.AreEqual("Value", exception.Detail.ErrorDetails["Key"]);
        Assert.AreEqual(1, exception.Detail.InnerFault.ErrorCode);
    }

    [TestMethod]
    public void OrganizationServiceFault_New_HasEmptyErrorDetails()
    {
        Assert.AreEqual(0, new OrganizationServiceFault().ErrorDetails.Count);
    }

    [TestMethod]
    public void InvalidPluginExecutionException_Constructors_KeepStatusCodeAndMessage()
    {
        var plain = new InvalidPluginExecutionException("Stop.");
        var withStatus = new InvalidPluginExecutionException(OperationStatus.Canceled, 42, "Cancelled.", PluginHttpStatusCode.Conflict);
        var inner = new TimeoutException();
        var wrapped = new InvalidPluginExecutionException("Wrapped.", inner);

        Assert.AreEqual("Stop.", plain.Message);
        Assert.AreEqual(OperationStatus.Failed, plain.Status);
        Assert.AreEqual(OperationStatus.Canceled, withStatus.Status);
        Assert.AreEqual(42, withStatus.ErrorCode);
        Assert.AreEqual(PluginHttpStatusCode.Conflict, withStatus.HttpStatus);
        Assert.AreSame(inner, wrapped.InnerException);
    }
}
