using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>Retrieve: a copy of one row with the asked-for columns.</summary>
    internal sealed class RetrieveHandler : MessageHandler
    {
        public RetrieveHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override bool ReadsOnly => true;

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var target = RequiredParameter<EntityReference>(context, "Target");
            var columns = context.InputParameters.Contains("ColumnSet") && context.InputParameters["ColumnSet"] is ColumnSet c ? c : new ColumnSet();
            var row = Store.Find(target.LogicalName, target.Id) ?? throw Faults.DoesNotExist(target.LogicalName, target.Id);
            Organization.Access.Demand(caller.UserId, "Read", row);
            var response = new RetrieveResponse();
            // The table's own name for its id column (Metadata builds the name anew on every call).
            var primaryId = Store.TryGetTable(target.LogicalName, out var table) ? table.PrimaryIdAttribute : Metadata.PrimaryIdAttribute(target.LogicalName);
            response.Results["Entity"] = QueryEngine.ProjectRow(row, columns, primaryId);
            return response;
        }
    }

    /// <summary>RetrieveMultiple: QueryExpression, QueryByAttribute or FetchXML through the query engine; more than 15 link-entities fault as documented.</summary>
    internal sealed class RetrieveMultipleHandler : MessageHandler
    {
        public RetrieveMultipleHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override bool ReadsOnly => true;

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var query = RequiredParameter<QueryBase>(context, "Query");
            var response = new RetrieveMultipleResponse();
            // With privilege checks on, rows beyond the caller's read depth are left out, as Dataverse filters them.
            var readable = Organization.EnforceTablePrivileges && caller.UserId != Organization.SystemUserId
                ? row => Organization.Access.Allows(caller.UserId, "Read", row)
                : (System.Func<StoredRow, bool>?)null;
            var expression = QueryEngine.ToQueryExpression(query);
            if (CountLinks(expression.LinkEntities) > MaxLinkEntities)
            {
                throw Faults.Create(ErrorCodes.TooManyLinkEntitiesInQuery, "Number of link entities in query exceeded maximum limit.");
            }

            response.Results["EntityCollection"] = Organization.Queries.Execute(expression, readable);
            return response;
        }

        /// <summary>"You can add up to 15 LinkEntity instances to a query" ("Join tables using QueryExpression", Limitations); nested ones count.</summary>
        public const int MaxLinkEntities = 15;

        private static int CountLinks(DataCollection<LinkEntity> links)
        {
            var count = links.Count;
            for (var i = 0; i < links.Count; i++)
            {
                count += CountLinks(links[i].LinkEntities);
            }

            return count;
        }
    }
}
