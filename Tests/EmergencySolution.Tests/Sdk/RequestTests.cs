using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Tests.Sdk;

/// <summary>Typed messages store their properties under the real parameter and result keys.</summary>
[TestClass]
public sealed class RequestTests
{
    private static readonly Guid RecordId = new("0d7a52a4-1c39-4b8e-9f60-2a1b3c4d5e6f");

    [TestMethod]
    public void CreateRequest_Target_IsParametersTarget()
    {
        var target = new Entity("emc_emergencycall");
        var request = new CreateRequest { Target = target };

        Assert.AreEqual("Create", request.RequestName);
        Assert.AreSame(target, request.Parameters["Target"]);
        Assert.AreSame(target, request["Target"]);
    }

    [TestMethod]
    public void CreateResponse_Id_IsResultsId()
    {
        var response = new CreateResponse();
        response.Results["id"] = RecordId;

        Assert.AreEqual(RecordId, response.id);
        Assert.AreEqual("Create", response.ResponseName);
    }

    [TestMethod]
    public void UpdateRequest_ConcurrencyBehavior_IsParametersConcurrencyBehavior()
    {
        var request = new UpdateRequest { Target = new Entity("emc_callbacknumber", RecordId) { RowVersion = "77" } };

        Assert.AreEqual(ConcurrencyBehavior.Default, request.ConcurrencyBehavior);
        request.ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches;

        Assert.AreEqual("Update", request.RequestName);
        Assert.AreEqual(ConcurrencyBehavior.IfRowVersionMatches, request.Parameters["ConcurrencyBehavior"]);
        Assert.AreEqual(1, (int)ConcurrencyBehavior.IfRowVersionMatches);
    }

    [TestMethod]
    public void RetrieveAndDeleteRequests_Properties_MapToRealKeys()
    {
        var target = new EntityReference("contact", RecordId);
        var retrieve = new RetrieveRequest { Target = target, ColumnSet = new ColumnSet("fullname") };
        var delete = new DeleteRequest { Target = target, ConcurrencyBehavior = ConcurrencyBehavior.AlwaysOverwrite };

        Assert.AreEqual("Retrieve", retrieve.RequestName);
        Assert.AreSame(target, retrieve.Parameters["Target"]);
        Assert.IsInstanceOfType<ColumnSet>(retrieve.Parameters["ColumnSet"]);
        Assert.AreEqual("Delete", delete.RequestName);
        Assert.AreEqual(ConcurrencyBehavior.AlwaysOverwrite, delete.Parameters["ConcurrencyBehavior"]);
    }

    [TestMethod]
    public void RetrieveMultiple_QueryAndEntityCollection_MapToRealKeys()
    {
        var query = new QueryExpression("contact");
        var request = new RetrieveMultipleRequest { Query = query };
        var response = new RetrieveMultipleResponse();
        var page = new EntityCollection();
        response.Results["EntityCollection"] = page;

        Assert.AreEqual("RetrieveMultiple", request.RequestName);
        Assert.AreSame(query, request.Parameters["Query"]);
        Assert.AreSame(page, response.EntityCollection);
    }

    [TestMethod]
    public void UpsertResponse_RecordCreatedAndTarget_MapToRealKeys()
    {
        var response = new UpsertResponse();
        var target = new EntityReference("emc_callbacknumber", RecordId);
        response.Results["RecordCreated"] = true;
        response.Results["Target"] = target;

        Assert.IsTrue(response.RecordCreated);
        Assert.AreSame(target, response.Target);
        Assert.AreEqual("Upsert", new UpsertRequest().RequestName);
    }

    [TestMethod]
    public void AssociateRequest_Properties_MapToRealKeys()
    {
        var related = new EntityReferenceCollection { new EntityReference("systemuser", RecordId) };
        var request = new AssociateRequest
        {
            Target = new EntityReference("team", RecordId),
            Relationship = new Relationship("teammembership_association"),
            RelatedEntities = related,
        };

        Assert.AreEqual("Associate", request.RequestName);
        Assert.AreSame(related, request.Parameters["RelatedEntities"]);
        Assert.AreEqual(new Relationship("teammembership_association"), request.Parameters["Relationship"]);
        Assert.AreEqual("Disassociate", new DisassociateRequest().RequestName);
    }

    [TestMethod]
    public void ExecuteMultiple_RequestsSettingsResponses_MapToRealKeys()
    {
        var requests = new OrganizationRequestCollection { new CreateRequest(), new UpdateRequest() };
        var request = new ExecuteMultipleRequest
        {
            Requests = requests,
            Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
        };
        var items = new ExecuteMultipleResponseItemCollection
        {
            new ExecuteMultipleResponseItem { RequestIndex = 1, Fault = new OrganizationServiceFault { ErrorCode = -2147088254 } },
        };
        var response = new ExecuteMultipleResponse();
        response.Results["Responses"] = items;
        response.Results["IsFaulted"] = true;

        Assert.AreEqual("ExecuteMultiple", request.RequestName);
        Assert.AreSame(requests, request.Parameters["Requests"]);
        Assert.IsTrue(((ExecuteMultipleSettings)request.Parameters["Settings"]).ContinueOnError);
        Assert.IsTrue(response.IsFaulted);
        Assert.AreEqual(1, response.Responses[0].RequestIndex);
    }

    [TestMethod]
    public void ExecuteTransaction_RequestsAndResponses_MapToRealKeys()
    {
        var request = new ExecuteTransactionRequest { Requests = new OrganizationRequestCollection(), ReturnResponses = true };
        var responses = new OrganizationResponseCollection { new CreateResponse() };
        var response = new ExecuteTransactionResponse();
        response.Results["Responses"] = responses;

        Assert.AreEqual("ExecuteTransaction", request.RequestName);
        Assert.AreEqual(true, request.Parameters["ReturnResponses"]);
        Assert.AreSame(responses, response.Responses);
    }

    [TestMethod]
    public void OrganizationRequest_ByName_KeepsNameAndParameters()
    {
        var request = new OrganizationRequest("SendEmail") { ["EmailId"] = RecordId, ["IssueSend"] = true };

        Assert.AreEqual("SendEmail", request.RequestName);
        Assert.AreEqual(RecordId, request.Parameters["EmailId"]);
        Assert.ThrowsExactly<KeyNotFoundException>(() => _ = request["TrackingToken"]);
    }

    [TestMethod]
    public void TypedResponse_MissingResult_ReadsDefault()
    {
        Assert.AreEqual(Guid.Empty, new CreateResponse().id);
        Assert.IsNull(new RetrieveResponse().Entity);
        Assert.IsFalse(new UpsertResponse().RecordCreated);
    }
}
