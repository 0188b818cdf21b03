using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// Rows per table, hashed by primary id and by every declared alternate key; an undo log gives transactions.
    /// Stored entities are private copies: callers get clones in and out.
    /// </summary>
    internal sealed class EntityStore
    {
        private readonly MetadataRegistry _metadata;
        private readonly Dictionary<string, Table> _tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        private long _rowVersion = 1000;

        public EntityStore(MetadataRegistry metadata)
        {
            _metadata = metadata;
        }

        /// <summary>The open transaction, or null; every change is then recorded for rollback.</summary>
        public StoreTransaction? CurrentTransaction { get; private set; }

        public StoreTransaction Begin()
        {
            CurrentTransaction = new StoreTransaction();
            return CurrentTransaction;
        }

        public void Commit(StoreTransaction transaction)
        {
            CurrentTransaction = null;
        }

        /// <summary>Undoes every change of the transaction, newest first.</summary>
        public void Rollback(StoreTransaction transaction)
        {
            for (var i = transaction.Undo.Count - 1; i >= 0; i--)
            {
                transaction.Undo[i]();
            }

            CurrentTransaction = null;
        }

        public string NextRowVersion() => (++_rowVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);

        public IEnumerable<string> TableNames => _tables.Keys;

        public Table GetTable(string entityName)
        {
            if (!_tables.TryGetValue(entityName, out var table))
            {
                table = new Table(entityName, _metadata.PrimaryIdAttribute(entityName));
                _tables.Add(entityName, table);
                foreach (var key in _metadata.KeysOf(entityName))
                {
                    table.AddKeyIndex(key);
                }
            }

            return table;
        }

        public bool TryGetTable(string entityName, out Table table) => _tables.TryGetValue(entityName, out table!);

        /// <summary>Rebuilds a table's key index after a key is declared (rows may already exist).</summary>
        public void IndexKey(AlternateKey key)
        {
            var table = GetTable(key.EntityName);
            table.AddKeyIndex(key);
        }

        public Entity? Find(string entityName, Guid id) =>
            _tables.TryGetValue(entityName, out var table) && table.Rows.TryGetValue(id, out var row) ? row : null;

        /// <summary>The row a write is about to change (the current version).</summary>
        public Entity? FindForWrite(string entityName, Guid id) => Find(entityName, id);

        /// <summary>Every stored row of a table (none when the table was never written).</summary>
        public IEnumerable<Entity> Rows(string entityName) =>
            _tables.TryGetValue(entityName, out var table) ? table.Rows.Values : Enumerable.Empty<Entity>();

        /// <summary>The id of the row an alternate key (or the primary key given as a key) names, or null.</summary>
        public Guid? FindIdByKeys(string entityName, KeyAttributeCollection keyAttributes)
        {
            var table = GetTable(entityName);
            if (keyAttributes.Count == 1 && keyAttributes.Keys.First() == table.PrimaryIdAttribute)
            {
                var id = ValueSemantics.Coerce(keyAttributes.Values.First(), Guid.Empty);
                return id is Guid g && table.Rows.ContainsKey(g) ? g : (Guid?)null;
            }

            foreach (var key in table.Keys)
            {
                var value = Table.KeyValueOf(key, keyAttributes);
                if (value != null)
                {
                    return table.TryFindByKey(key, value, out var id) ? id : (Guid?)null;
                }
            }

            throw Faults.InvalidArgument($"No alternate key of {entityName} is made of the columns {DescribeKeys(keyAttributes)} (declare it with DeclareAlternateKey).");
        }

        public static string DescribeKeys(KeyAttributeCollection keys) =>
            string.Join(", ", keys.Select(p => p.Key + "=" + ValueSemantics.Normalize(p.Value)));

        /// <summary>Inserts a row the caller already cloned; faults on a duplicate id or key.</summary>
        public void Insert(Entity row)
        {
            var table = GetTable(row.LogicalName);
            if (table.Rows.ContainsKey(row.Id))
            {
                throw Faults.Duplicate(row.LogicalName, $"{table.PrimaryIdAttribute} = {row.Id:D}");
            }

            table.CheckKeysFree(row, null);
            table.Rows.Add(row.Id, row);
            table.AddToIndexes(row);
            Record(() =>
            {
                table.RemoveFromIndexes(row);
                table.Rows.Remove(row.Id);
            });
        }

        /// <summary>Replaces a stored row with a new version (the old object is kept for rollback).</summary>
        public void Replace(Entity newRow)
        {
            var table = GetTable(newRow.LogicalName);
            var oldRow = table.Rows[newRow.Id];
            table.CheckKeysFree(newRow, newRow.Id);
            table.RemoveFromIndexes(oldRow);
            table.Rows[newRow.Id] = newRow;
            table.AddToIndexes(newRow);
            Record(() =>
            {
                table.RemoveFromIndexes(newRow);
                table.Rows[oldRow.Id] = oldRow;
                table.AddToIndexes(oldRow);
            });
        }

        public void Remove(string entityName, Guid id)
        {
            var table = GetTable(entityName);
            if (!table.Rows.TryGetValue(id, out var oldRow))
            {
                return;
            }

            table.RemoveFromIndexes(oldRow);
            table.Rows.Remove(id);
            Record(() =>
            {
                table.Rows[oldRow.Id] = oldRow;
                table.AddToIndexes(oldRow);
            });
        }

        private void Record(Action undo) => CurrentTransaction?.Undo.Add(undo);
    }

    /// <summary>One open transaction: its undo log, whether a failed write doomed it, and the async steps it queued.</summary>
    internal sealed class StoreTransaction
    {
        public List<Action> Undo { get; } = new List<Action>();

        /// <summary>A data operation failed inside it: Dataverse ends the whole transaction.</summary>
        public bool Doomed { get; set; }

        public List<PendingAsyncOperation> AsyncOperations { get; } = new List<PendingAsyncOperation>();
    }

    internal sealed class Table
    {
        private readonly Dictionary<string, Dictionary<string, Guid>> _keyIndexes = new Dictionary<string, Dictionary<string, Guid>>(StringComparer.Ordinal);
        private readonly List<AlternateKey> _keys = new List<AlternateKey>();

        public Table(string name, string primaryIdAttribute)
        {
            Name = name;
            PrimaryIdAttribute = primaryIdAttribute;
        }

        public string Name { get; }

        public string PrimaryIdAttribute { get; }

        public Dictionary<Guid, Entity> Rows { get; } = new Dictionary<Guid, Entity>();

        public IReadOnlyList<AlternateKey> Keys => _keys;

        public void AddKeyIndex(AlternateKey key)
        {
            _keys.RemoveAll(k => k.Name == key.Name);
            _keys.Add(key);
            var index = new Dictionary<string, Guid>(StringComparer.Ordinal);
            _keyIndexes[key.Name] = index;
            foreach (var row in Rows.Values)
            {
                var value = KeyValueOf(key, row);
                if (value != null)
                {
                    if (index.ContainsKey(value))
                    {
                        throw Faults.Duplicate(Name, DescribeKey(key, row));
                    }

                    index.Add(value, row.Id);
                }
            }
        }

        /// <summary>The index entry of a row for a key; null when any key column is empty (not indexed, as SQL's filtered unique index).</summary>
        public static string? KeyValueOf(AlternateKey key, Entity row)
        {
            var parts = new string[key.Attributes.Count];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!row.Attributes.TryGetValue(key.Attributes[i], out var value) || value == null)
                {
                    return null;
                }

                parts[i] = ValueSemantics.IndexKey(value);
            }

            return string.Join("\u001f", parts);
        }

        public static string? KeyValueOf(AlternateKey key, IEnumerable<KeyValuePair<string, object>> values)
        {
            var map = values.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            if (map.Count != key.Attributes.Count)
            {
                return null;
            }

            var parts = new string[key.Attributes.Count];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!map.TryGetValue(key.Attributes[i], out var value) || value == null)
                {
                    return null;
                }

                parts[i] = ValueSemantics.IndexKey(value);
            }

            return string.Join("\u001f", parts);
        }

        public bool TryFindByKey(AlternateKey key, string keyValue, out Guid id) => _keyIndexes[key.Name].TryGetValue(keyValue, out id);

        public void CheckKeysFree(Entity row, Guid? self)
        {
            foreach (var key in _keys)
            {
                var value = KeyValueOf(key, row);
                if (value != null && _keyIndexes[key.Name].TryGetValue(value, out var owner) && owner != self)
                {
                    throw Faults.Duplicate(Name, DescribeKey(key, row));
                }
            }
        }

        public void AddToIndexes(Entity row)
        {
            foreach (var key in _keys)
            {
                var value = KeyValueOf(key, row);
                if (value != null)
                {
                    _keyIndexes[key.Name][value] = row.Id;
                }
            }
        }

        public void RemoveFromIndexes(Entity row)
        {
            foreach (var key in _keys)
            {
                var value = KeyValueOf(key, row);
                if (value != null && _keyIndexes[key.Name].TryGetValue(value, out var owner) && owner == row.Id)
                {
                    _keyIndexes[key.Name].Remove(value);
                }
            }
        }

        private static string DescribeKey(AlternateKey key, Entity row) =>
            "(" + string.Join(", ", key.Attributes.Select(a => a + ":" + ValueSemantics.Normalize(row.Attributes[a]))) + ")";
    }
}
