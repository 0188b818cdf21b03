using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// The privileges and record access rights of the messages that are not plain CRUD, as Microsoft lists them
    /// ("InstantiateTemplate message privileges": prvReadEmailTemplate and prvRead of the ObjectType's table;
    /// "SendEmail message privileges": prvReadActivity, prvWriteActivity, prvReadUser; the SDK reference of
    /// InstantiateTemplateRequest and SendEmailRequest: access rights on the TemplateId/ObjectId and EmailId records).
    /// Checked for callers other than SYSTEM when <see cref="InMemoryOrganization.EnforceTablePrivileges"/> is on.
    /// </summary>
    internal static class MessagePrivileges
    {
        public static void Check(InMemoryOrganization organization, OrganizationRequest request, Guid userId)
        {
            switch (request.RequestName)
            {
                case MessageNames.InstantiateTemplate:
                    var objectType = request.Parameters.Contains("ObjectType") ? request.Parameters["ObjectType"] as string : null;
                    Demand(organization, userId, "prvReadEmailTemplate");
                    if (!string.IsNullOrEmpty(objectType))
                    {
                        Demand(organization, userId, "prvRead" + TablePrivileges.PrivilegeStem(objectType!));
                    }

                    DemandRecord(organization, userId, "Read", "template", request, "TemplateId");
                    if (!string.IsNullOrEmpty(objectType))
                    {
                        DemandRecord(organization, userId, "Read", objectType!, request, "ObjectId");
                    }

                    break;
                case MessageNames.SendEmail:
                    foreach (var privilege in SendEmailPrivileges)
                    {
                        Demand(organization, userId, privilege);
                    }

                    DemandRecord(organization, userId, "Read", "email", request, "EmailId");
                    DemandRecord(organization, userId, "Write", "email", request, "EmailId");
                    break;
            }
        }

        private static readonly IReadOnlyList<string> SendEmailPrivileges = new[] { "prvReadActivity", "prvWriteActivity", "prvReadUser" };

        private static void Demand(InMemoryOrganization organization, Guid userId, string privilege)
        {
            if (!organization.HasPrivilege(userId, privilege))
            {
                throw Faults.Create(ErrorCodes.PrivilegeDenied, $"Principal user (Id={userId}, type=8) is missing {privilege} privilege.");
            }
        }

        /// <summary>The access right on the record a parameter names; a record that does not exist is left to the message (it faults on its own).</summary>
        private static void DemandRecord(InMemoryOrganization organization, Guid userId, string access, string table, OrganizationRequest request, string parameter)
        {
            if (!(request.Parameters.Contains(parameter) && request.Parameters[parameter] is Guid id))
            {
                return;
            }

            var row = organization.Store.Find(table, id);
            if (row != null)
            {
                organization.Access.Demand(userId, access, row);
            }
        }
    }
}
