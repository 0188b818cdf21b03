using System;
using Microsoft.Xrm.Sdk.Query;

// Typed requests and responses: each property lives in Parameters / Results under the real key, so a typed
// request and an OrganizationRequest with the same name and keys are the same message.
namespace Microsoft.Xrm.Sdk.Messages
{
    public sealed class CreateRequest : OrganizationRequest
    {
        public CreateRequest()
        {
            RequestName = "Create";
            Target = null;
        }

        public Entity Target
        {
            get { return GetParameter<Entity>("Target"); }
            set { Parameters["Target"] = value; }
        }
    }

    public sealed class CreateResponse : OrganizationResponse
    {
        public CreateResponse()
        {
            ResponseName = "Create";
        }

        public Guid id => GetResult<Guid>("id");
    }

    public sealed class RetrieveRequest : OrganizationRequest
    {
        public RetrieveRequest()
        {
            RequestName = "Retrieve";
            Target = null;
            ColumnSet = null;
        }

        public EntityReference Target
        {
            get { return GetParameter<EntityReference>("Target"); }
            set { Parameters["Target"] = value; }
        }

        public ColumnSet ColumnSet
        {
            get { return GetParameter<ColumnSet>("ColumnSet"); }
            set { Parameters["ColumnSet"] = value; }
        }

        public bool ReturnNotifications
        {
            get { return GetParameter("ReturnNotifications", false); }
            set { Parameters["ReturnNotifications"] = value; }
        }
    }

    public sealed class RetrieveResponse : OrganizationResponse
    {
        public RetrieveResponse()
        {
            ResponseName = "Retrieve";
        }

        public Entity Entity => GetResult<Entity>("Entity");

        public object Notifications => GetResult<object>("Notifications");
    }

    public sealed class UpdateRequest : OrganizationRequest
    {
        public UpdateRequest()
        {
            RequestName = "Update";
            Target = null;
        }

        public Entity Target
        {
            get { return GetParameter<Entity>("Target"); }
            set { Parameters["Target"] = value; }
        }

        public ConcurrencyBehavior ConcurrencyBehavior
        {
            get { return GetParameter("ConcurrencyBehavior", ConcurrencyBehavior.Default); }
            set { Parameters["ConcurrencyBehavior"] = value; }
        }
    }

    public sealed class UpdateResponse : OrganizationResponse
    {
        public UpdateResponse()
        {
            ResponseName = "Update";
        }
    }

    public sealed class DeleteRequest : OrganizationRequest
    {
        public DeleteRequest()
        {
            RequestName = "Delete";
            Target = null;
        }

        public EntityReference Target
        {
            get { return GetParameter<EntityReference>("Target"); }
            set { Parameters["Target"] = value; }
        }

        public ConcurrencyBehavior ConcurrencyBehavior
        {
            get { return GetParameter("ConcurrencyBehavior", ConcurrencyBehavior.Default); }
            set { Parameters["ConcurrencyBehavior"] = value; }
        }
    }

    public sealed class DeleteResponse : OrganizationResponse
    {
        public DeleteResponse()
        {
            ResponseName = "Delete";
        }
    }

    public sealed class RetrieveMultipleRequest : OrganizationRequest
    {
        public RetrieveMultipleRequest()
        {
            RequestName = "RetrieveMultiple";
            Query = null;
        }

        public QueryBase Query
        {
            get { return GetParameter<QueryBase>("Query"); }
            set { Parameters["Query"] = value; }
        }
    }

    public sealed class RetrieveMultipleResponse : OrganizationResponse
    {
        public RetrieveMultipleResponse()
        {
            ResponseName = "RetrieveMultiple";
        }

        public EntityCollection EntityCollection => GetResult<EntityCollection>("EntityCollection");
    }

    public sealed class AssociateRequest : OrganizationRequest
    {
        public AssociateRequest()
        {
            RequestName = "Associate";
            Target = null;
            Relationship = null;
            RelatedEntities = null;
        }

        public EntityReference Target
        {
            get { return GetParameter<EntityReference>("Target"); }
            set { Parameters["Target"] = value; }
        }

        public Relationship Relationship
        {
            get { return GetParameter<Relationship>("Relationship"); }
            set { Parameters["Relationship"] = value; }
        }

        public EntityReferenceCollection RelatedEntities
        {
            get { return GetParameter<EntityReferenceCollection>("RelatedEntities"); }
            set { Parameters["RelatedEntities"] = value; }
        }
    }

    public sealed class AssociateResponse : OrganizationResponse
    {
        public AssociateResponse()
        {
            ResponseName = "Associate";
        }
    }

    public sealed class DisassociateRequest : OrganizationRequest
    {
        public DisassociateRequest()
        {
            RequestName = "Disassociate";
            Target = null;
            Relationship = null;
            RelatedEntities = null;
        }

        public EntityReference Target
        {
            get { return GetParameter<EntityReference>("Target"); }
            set { Parameters["Target"] = value; }
        }

        public Relationship Relationship
        {
            get { return GetParameter<Relationship>("Relationship"); }
            set { Parameters["Relationship"] = value; }
        }

        public EntityReferenceCollection RelatedEntities
        {
            get { return GetParameter<EntityReferenceCollection>("RelatedEntities"); }
            set { Parameters["RelatedEntities"] = value; }
        }
    }

    public sealed class DisassociateResponse : OrganizationResponse
    {
        public DisassociateResponse()
        {
            ResponseName = "Disassociate";
        }
    }

    public sealed class UpsertRequest : OrganizationRequest
    {
        public UpsertRequest()
        {
            RequestName = "Upsert";
            Target = null;
        }

        public Entity Target
        {
            get { return GetParameter<Entity>("Target"); }
            set { Parameters["Target"] = value; }
        }
    }

    public sealed class UpsertResponse : OrganizationResponse
    {
        public UpsertResponse()
        {
            ResponseName = "Upsert";
        }

        public bool RecordCreated => GetResult<bool>("RecordCreated");

        public EntityReference Target => GetResult<EntityReference>("Target");
    }

    public sealed class ExecuteMultipleRequest : OrganizationRequest
    {
        public ExecuteMultipleRequest()
        {
            RequestName = "ExecuteMultiple";
            Requests = null;
            Settings = null;
        }

        public OrganizationRequestCollection Requests
        {
            get { return GetParameter<OrganizationRequestCollection>("Requests"); }
            set { Parameters["Requests"] = value; }
        }

        public ExecuteMultipleSettings Settings
        {
            get { return GetParameter<ExecuteMultipleSettings>("Settings"); }
            set { Parameters["Settings"] = value; }
        }
    }

    public sealed class ExecuteMultipleResponse : OrganizationResponse
    {
        public ExecuteMultipleResponse()
        {
            ResponseName = "ExecuteMultiple";
        }

        public ExecuteMultipleResponseItemCollection Responses => GetResult<ExecuteMultipleResponseItemCollection>("Responses");

        public bool IsFaulted => GetResult<bool>("IsFaulted");
    }

    public sealed class ExecuteTransactionRequest : OrganizationRequest
    {
        public ExecuteTransactionRequest()
        {
            RequestName = "ExecuteTransaction";
            Requests = null;
        }

        public OrganizationRequestCollection Requests
        {
            get { return GetParameter<OrganizationRequestCollection>("Requests"); }
            set { Parameters["Requests"] = value; }
        }

        public bool? ReturnResponses
        {
            get { return GetParameter<bool?>("ReturnResponses"); }
            set { Parameters["ReturnResponses"] = value; }
        }
    }

    public sealed class ExecuteTransactionResponse : OrganizationResponse
    {
        public ExecuteTransactionResponse()
        {
            ResponseName = "ExecuteTransaction";
        }

        public OrganizationResponseCollection Responses => GetResult<OrganizationResponseCollection>("Responses");
    }
}
