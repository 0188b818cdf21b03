using System.Collections.Generic;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace InMemoryDataverse
{
    /// <summary>SetState is turned into an Update of statecode/statuscode, so Update steps on those columns run.</summary>
    internal sealed class SetStateHandler : MessageHandler
    {
        public SetStateHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var moniker = RequiredParameter<EntityReference>(context, "EntityMoniker");
            var state = RequiredParameter<OptionSetValue>(context, "State");
            var status = context.InputParameters.Contains("Status") ? context.InputParameters["Status"] as OptionSetValue : null;
            var update = new Entity(moniker.LogicalName, moniker.Id) { ["statecode"] = new OptionSetValue(state.Value) };
            if (status != null && status.Value != -1)
            {
                update["statuscode"] = new OptionSetValue(status.Value);
            }

            Organization.Pipeline.Run(new UpdateRequest { Target = update }, caller);
            return new OrganizationResponse { ResponseName = MessageNames.SetState };
        }
    }

    internal sealed class WhoAmIHandler : MessageHandler
    {
        public WhoAmIHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override bool ReadsOnly => true;

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var response = new OrganizationResponse { ResponseName = MessageNames.WhoAmI };
            response.Results["UserId"] = caller.UserId;
            response.Results["BusinessUnitId"] = Organization.BusinessUnitId;
            response.Results["OrganizationId"] = Organization.OrganizationId;
            return response;
        }
    }

    /// <summary>SendEmail: marks the email Sent (there is no mail router here).</summary>
    internal sealed class SendEmailHandler : MessageHandler
    {
        public SendEmailHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var emailId = RequiredParameter<System.Guid>(context, "EmailId");
            var email = Store.Find("email", emailId) ?? throw Faults.DoesNotExist("email", emailId);
            var issueSend = context.InputParameters.Contains("IssueSend") && context.InputParameters["IssueSend"] is bool b && b;
            // IssueSend=true hands the email to the mail router (Pending Send, 6); false marks it Sent (3) at once.
            // Both end as "Sent" for this harness, which has no mail router: statuscode 3.
            var update = new Entity("email", emailId) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(3) };
            Organization.Pipeline.Run(new UpdateRequest { Target = update }, caller);
            Organization.AddTrace($"SendEmail: email {emailId} marked Sent (IssueSend={issueSend}).");
            var response = new OrganizationResponse { ResponseName = MessageNames.SendEmail };
            response.Results["Subject"] = email.GetAttributeValue<string>("subject");
            return response;
        }
    }

    /// <summary>InstantiateTemplate: an unsaved email with the template's subject and body filled from the record.</summary>
    internal sealed class InstantiateTemplateHandler : MessageHandler
    {
        public InstantiateTemplateHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override bool ReadsOnly => true;

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var templateId = RequiredParameter<System.Guid>(context, "TemplateId");
            var objectType = RequiredParameter<string>(context, "ObjectType");
            var objectId = RequiredParameter<System.Guid>(context, "ObjectId");
            var template = Store.Find("template", templateId) ?? throw Faults.DoesNotExist("template", templateId);
            var record = Store.Find(objectType, objectId)?.ToEntity() ?? throw Faults.DoesNotExist(objectType, objectId);
            var email = new Entity("email");
            email.Attributes["subject"] = TemplateRenderer.Render(template.GetAttributeValue<string>("subject"), record);
            email.Attributes["description"] = TemplateRenderer.Render(template.GetAttributeValue<string>("body"), record);
            var response = new OrganizationResponse { ResponseName = MessageNames.InstantiateTemplate };
            response.Results["EntityCollection"] = new EntityCollection(new List<Entity> { email }) { EntityName = "email" };
            return response;
        }
    }
}
