using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// As Dataverse, a party list written on an activity becomes activityparty rows (activityid, partyid,
    /// addressused, participationtypemask), replacing that list's previous rows; the column keeps the list too.
    /// </summary>
    internal static class ActivityParties
    {
        // Party-list columns of activities and their participationtypemask values.
        private static readonly Dictionary<string, int> PartyListMasks = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["from"] = 1, ["to"] = 2, ["cc"] = 3, ["bcc"] = 4, ["requiredattendees"] = 5, ["optionalattendees"] = 6,
            ["organizer"] = 7, ["resources"] = 10, ["customers"] = 11,
        };

        public static void Write(InMemoryOrganization organization, Entity activity, IEnumerable<string> writtenColumns)
        {
            if (!organization.Metadata.IsActivity(activity.LogicalName))
            {
                return;
            }

            foreach (var column in writtenColumns.ToList())
            {
                if (!PartyListMasks.TryGetValue(column, out var mask))
                {
                    continue;
                }

                Remove(organization, activity.Id, mask);
                if (activity.Attributes.TryGetValue(column, out var value) && value is EntityCollection parties)
                {
                    foreach (var party in parties.Entities)
                    {
                        Insert(organization.Store, activity, mask, party);
                    }
                }
            }
        }

        public static void Remove(InMemoryOrganization organization, Guid activityId, int? mask)
        {
            var stale = organization.Store.Rows("activityparty")
                .Where(r => r.GetAttributeValue<EntityReference>("activityid")?.Id == activityId
                    && (mask == null || r.GetAttributeValue<OptionSetValue>("participationtypemask")?.Value == mask))
                .Select(r => r.Id)
                .ToList();
            foreach (var id in stale)
            {
                organization.Store.Remove("activityparty", id);
            }
        }

        private static void Insert(EntityStore store, Entity activity, int mask, Entity party)
        {
            var row = new Entity("activityparty", Guid.NewGuid());
            row.Attributes["activitypartyid"] = row.Id;
            row.Attributes["activityid"] = new EntityReference(activity.LogicalName, activity.Id);
            row.Attributes["participationtypemask"] = new OptionSetValue(mask);
            foreach (var name in new[] { "partyid", "addressused" })
            {
                if (party.Attributes.TryGetValue(name, out var partyValue) && partyValue != null)
                {
                    row.Attributes[name] = ValueSemantics.CloneValue(partyValue);
                }
            }

            row.RowVersion = store.NextRowVersion();
            store.Insert(row);
        }
    }
}
