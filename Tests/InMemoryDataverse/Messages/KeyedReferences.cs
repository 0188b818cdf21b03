using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// A lookup may name its row by alternate key instead of id (an EntityReference with KeyAttributes: "Use an
    /// alternate key to reference a record", learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record);
    /// the platform stores the id of the row the key finds, and fails when none has it.
    /// </summary>
    internal static class KeyedReferences
    {
        public static void Resolve(EntityStore store, Entity row)
        {
            List<string>? keyed = null;
            foreach (var pair in row.Attributes)
            {
                if (pair.Value is EntityReference reference && reference.Id == Guid.Empty && reference.KeyAttributes.Count > 0)
                {
                    (keyed ??= new List<string>()).Add(pair.Key);
                }
            }

            foreach (var name in keyed ?? Enumerable.Empty<string>())
            {
                var reference = (EntityReference)row.Attributes[name];
                var id = store.FindIdByKeys(reference.LogicalName, reference.KeyAttributes)
                    ?? throw Faults.DoesNotExistByKey(reference.LogicalName, EntityStore.DescribeKeys(reference.KeyAttributes));
                row.Attributes[name] = new EntityReference(reference.LogicalName, id) { Name = reference.Name };
            }
        }
    }
}
