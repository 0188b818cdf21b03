using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// How far a privilege reaches ("Security concepts in Microsoft Dataverse", learn.microsoft.com/power-platform/admin/
    /// security-roles-privileges): the rows the user (or a team the user is in) owns, the user's business unit, that
    /// unit and the units under it, or the whole organization. The role XML's levels Basic, Local, Deep and Global.
    /// </summary>
    public enum PrivilegeDepth
    {
        None = 0,

        /// <summary>User: rows owned by the user or by a team the user belongs to.</summary>
        Basic = 1,

        /// <summary>Business unit: rows owned in the user's business unit.</summary>
        Local = 2,

        /// <summary>Parent: child business units: rows owned in the user's business unit or any unit below it.</summary>
        Deep = 3,

        /// <summary>Organization: every row.</summary>
        Global = 4,
    }

    /// <summary>
    /// Record-level checks when privilege checks are on (<see cref="InMemoryOrganization.EnforceTablePrivileges"/>):
    /// the caller's depth for the access on the row's table, against the row's owner and owning business unit. A user's
    /// business unit is systemuser.businessunitid (else the organization's root unit); a unit's parent is
    /// businessunit.parentbusinessunitid; team membership is teammembership (systemuserid, teamid); a row's owning unit
    /// is that of its owner (user or team).
    /// </summary>
    internal sealed class RecordAccess
    {
        private readonly InMemoryOrganization _organization;

        public RecordAccess(InMemoryOrganization organization)
        {
            _organization = organization;
        }

        public static PrivilegeDepth ParseDepth(string level) => level switch
        {
            "Basic" => PrivilegeDepth.Basic,
            "Local" => PrivilegeDepth.Local,
            "Deep" => PrivilegeDepth.Deep,
            "Global" => PrivilegeDepth.Global,
            _ => PrivilegeDepth.None,
        };

        /// <summary>Whether the user may use <paramref name="access"/> (Read, Write, Delete, Append, AppendTo) on the stored row.</summary>
        public bool Allows(Guid userId, string access, StoredRow row)
        {
            if (!_organization.EnforceTablePrivileges || userId == _organization.SystemUserId)
            {
                return true;
            }

            var depth = _organization.PrivilegeDepthOf(userId, "prv" + access + TablePrivileges.PrivilegeStem(row.LogicalName));
            if (depth == PrivilegeDepth.Global)
            {
                return true;
            }

            if (depth == PrivilegeDepth.None)
            {
                return false;
            }

            if (!(row.Attributes.TryGetValue("ownerid", out var value) && value is EntityReference owner))
            {
                // Organization-owned rows: any depth reaches them.
                return true;
            }

            if (owner.Id == userId || (owner.LogicalName == "team" && IsTeamMember(userId, owner.Id)))
            {
                return true;
            }

            if (depth == PrivilegeDepth.Basic)
            {
                return false;
            }

            var userUnit = BusinessUnitOfUser(userId);
            var rowUnit = OwningBusinessUnit(owner);
            return depth == PrivilegeDepth.Local ? rowUnit == userUnit : IsWithin(rowUnit, userUnit);
        }

        /// <summary>Faults as Dataverse does when a privilege check passed but the record's access check failed (-2147187962).</summary>
        public void Demand(Guid userId, string access, StoredRow row)
        {
            if (!Allows(userId, access, row))
            {
                throw Faults.Create(ErrorCodes.AccessDenied,
                    $"Principal user (Id={userId}, type=8) does not have {access}Access right(s) for record with Id = {row.Id} of entity {row.LogicalName}.");
            }
        }

        /// <summary>
        /// A lookup written on a row: the writer needs Append on the row's table and AppendTo on the row it points to
        /// (system columns such as ownerid and createdby excepted).
        /// </summary>
        public void DemandAppend(Guid userId, Entity row)
        {
            if (!_organization.EnforceTablePrivileges || userId == _organization.SystemUserId)
            {
                return;
            }

            foreach (var pair in row.Attributes)
            {
                if (!(pair.Value is EntityReference reference) || SystemLookups.Contains(pair.Key))
                {
                    continue;
                }

                var target = _organization.Store.Find(reference.LogicalName, reference.Id);
                if (target == null)
                {
                    continue;
                }

                var append = "prvAppend" + TablePrivileges.PrivilegeStem(row.LogicalName);
                if (!_organization.HasPrivilege(userId, append))
                {
                    throw Faults.Create(ErrorCodes.PrivilegeDenied, $"Principal user (Id={userId}, type=8) is missing {append} privilege.");
                }

                Demand(userId, "AppendTo", target);
            }
        }

        private static readonly HashSet<string> SystemLookups = new HashSet<string>(StringComparer.Ordinal)
        {
            "ownerid", "createdby", "modifiedby", "createdonbehalfby", "modifiedonbehalfby", "owninguser", "owningteam", "owningbusinessunit",
        };

        private bool IsTeamMember(Guid userId, Guid teamId)
        {
            foreach (var membership in _organization.Store.Rows("teammembership"))
            {
                if (membership.GetAttributeValue<Guid>("systemuserid") == userId && membership.GetAttributeValue<Guid>("teamid") == teamId)
                {
                    return true;
                }
            }

            return false;
        }

        private Guid BusinessUnitOfUser(Guid userId) =>
            _organization.Store.Find("systemuser", userId)?.GetAttributeValue<EntityReference>("businessunitid")?.Id ?? _organization.BusinessUnitId;

        private Guid OwningBusinessUnit(EntityReference owner) =>
            owner.LogicalName == "team"
                ? _organization.Store.Find("team", owner.Id)?.GetAttributeValue<EntityReference>("businessunitid")?.Id ?? _organization.BusinessUnitId
                : BusinessUnitOfUser(owner.Id);

        /// <summary>True when <paramref name="unit"/> is <paramref name="ancestor"/> or below it.</summary>
        private bool IsWithin(Guid unit, Guid ancestor)
        {
            var seen = new HashSet<Guid>();
            for (Guid? current = unit; current.HasValue && seen.Add(current.Value);)
            {
                if (current.Value == ancestor)
                {
                    return true;
                }

                current = _organization.Store.Find("businessunit", current.Value)?.GetAttributeValue<EntityReference>("parentbusinessunitid")?.Id;
            }

            return false;
        }
    }
}
