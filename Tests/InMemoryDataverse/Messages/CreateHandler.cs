using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace InMemoryDataverse
{
    /// <summary>Create: one stored copy of the target, with the system columns Dataverse fills.</summary>
    internal sealed class CreateHandler : MessageHandler
    {
        public CreateHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var target = RequiredParameter<Entity>(context, "Target");
            var table = Store.GetTable(target.LogicalName);
            var id = target.Id != Guid.Empty ? target.Id
                : target.Attributes.TryGetValue(table.PrimaryIdAttribute, out var idValue) && idValue is Guid g && g != Guid.Empty ? g
                : Guid.NewGuid();
            var row = new Entity(target.LogicalName) { Id = id };
            CopyColumns(target, row);
            KeyedReferences.Resolve(Store, row);
            ColumnRules.Check(Organization, row, target.Attributes.Keys);
            Organization.Access.DemandAppend(context.UserId, row);
            row.Attributes[table.PrimaryIdAttribute] = id;
            FillSystemColumns(row, context.UserId);
            row.RowVersion = Store.NextRowVersion();
            Store.Insert(row);
            ActivityParties.Write(Organization, row, row.Attributes.Keys);
            context.PrimaryEntityId = id;
            var response = new CreateResponse();
            response.Results["id"] = id;
            return response;
        }

        private static void CopyColumns(Entity target, Entity row)
        {
            foreach (var pair in target.Attributes)
            {
                if (pair.Value != null)
                {
                    row.Attributes[pair.Key] = ValueSemantics.CloneValue(pair.Value);
                }
            }

            // A Create may name its alternate key values only as KeyAttributes; they are columns of the row all the same.
            foreach (var pair in target.KeyAttributes)
            {
                if (!row.Attributes.ContainsKey(pair.Key) && pair.Value != null)
                {
                    row.Attributes[pair.Key] = ValueSemantics.CloneValue(pair.Value);
                }
            }
        }

        private void FillSystemColumns(Entity row, Guid userId)
        {
            var now = Organization.UtcNow;
            row.Attributes["createdon"] = now;
            row.Attributes["modifiedon"] = now;
            row.Attributes["createdby"] = new EntityReference("systemuser", userId);
            row.Attributes["modifiedby"] = new EntityReference("systemuser", userId);
            if (Organization.IsIntersect(row.LogicalName))
            {
                return;
            }

            if (!row.Attributes.ContainsKey("ownerid"))
            {
                row.Attributes["ownerid"] = new EntityReference("systemuser", userId);
            }

            if (!row.Attributes.ContainsKey("statecode"))
            {
                row.Attributes["statecode"] = new OptionSetValue(0);
            }

            if (!row.Attributes.ContainsKey("statuscode"))
            {
                // 1 is the first active status of most tables; seed statuscode where a table's default differs.
                row.Attributes["statuscode"] = new OptionSetValue(1);
            }
        }
    }
}
