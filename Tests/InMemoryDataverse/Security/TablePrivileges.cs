using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>
    /// Opt-in (<see cref="InMemoryOrganization.EnforceTablePrivileges"/>): CRUD needs prv{Create|Read|Write|Delete}{table}
    /// for callers other than SYSTEM at any depth (the depth is applied per row by <see cref="RecordAccess"/>), and the
    /// messages of <see cref="MessagePrivileges"/> their documented privileges. Called after the PreValidation stage;
    /// every caller is noted before the pipeline (<see cref="InMemoryOrganization.ActingUsers"/>), checked or not.
    /// </summary>
    internal static class TablePrivileges
    {
        // The privilege accesses each message needs on its table.
        private static readonly Dictionary<string, string[]> AccessByMessage = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [MessageNames.Create] = new[] { "Create" },
            [MessageNames.Retrieve] = new[] { "Read" },
            [MessageNames.RetrieveMultiple] = new[] { "Read" },
            [MessageNames.Update] = new[] { "Write" },
            [MessageNames.SetState] = new[] { "Write" },
            [MessageNames.Delete] = new[] { "Delete" },
            [MessageNames.Upsert] = new[] { "Create", "Write" },
        };

        public static void Check(InMemoryOrganization organization, OrganizationRequest request, Guid userId)
        {
            if (!organization.EnforceTablePrivileges || userId == organization.SystemUserId)
            {
                return;
            }

            MessagePrivileges.Check(organization, request, userId);
            var (entityName, _) = RequestLog.Describe(request);
            if (entityName == null || !AccessByMessage.TryGetValue(request.RequestName, out var needed))
            {
                return;
            }

            var tables = new List<string> { entityName };
            if (request.RequestName == MessageNames.RetrieveMultiple && request.Parameters.Contains("Query") && request.Parameters["Query"] is QueryBase query)
            {
                tables.AddRange(LinkedTables(QueryEngine.ToQueryExpression(query).LinkEntities));
            }

            foreach (var table in tables.Distinct())
            {
                foreach (var access in needed)
                {
                    var privilege = "prv" + access + PrivilegeStem(table);
                    if (!organization.HasPrivilege(userId, privilege))
                    {
                        throw Faults.Create(ErrorCodes.PrivilegeDenied, $"Principal user (Id={userId}, type=8) is missing {privilege} privilege.");
                    }
                }
            }
        }

        /// <summary>
        /// The table's part of its privilege names. Dataverse names most after the table, but not all: systemuser's
        /// are prvReadUser, prvWriteUser…, template's prvReadEmailTemplate… ("InstantiateTemplate message privileges"),
        /// and every activity table shares prvReadActivity, prvCreateActivity….
        /// </summary>
        internal static string PrivilegeStem(string table) => table switch
        {
            "systemuser" => "User",
            "template" => "EmailTemplate",
            "activitypointer" or "email" or "phonecall" or "task" or "appointment" or "letter" or "fax" => "Activity",
            _ => table,
        };

        private static IEnumerable<string> LinkedTables(IEnumerable<LinkEntity> links) =>
            links.SelectMany(l => new[] { l.LinkToEntityName }.Concat(LinkedTables(l.LinkEntities)));
    }
}
