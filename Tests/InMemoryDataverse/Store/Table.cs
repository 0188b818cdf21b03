using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// One table: its rows (the newest version of each, uncommitted ones included), the rows open transactions hold
    /// locked with the version other readers still see, unique alternate-key indexes and equality indexes built on
    /// first use. Every member is called under the store's lock.
    /// </summary>
    internal sealed class Table
    {
        private readonly Dictionary<string, Dictionary<string, Guid>> _keyIndexes = new Dictionary<string, Dictionary<string, Guid>>(StringComparer.Ordinal);
        private readonly List<AlternateKey> _keys = new List<AlternateKey>();
        private readonly Dictionary<string, ColumnIndex> _columnIndexes = new Dictionary<string, ColumnIndex>(StringComparer.Ordinal);

        public Table(string name, string primaryIdAttribute)
        {
            Name = name;
            PrimaryIdAttribute = primaryIdAttribute;
        }

        public string Name { get; }

        public string PrimaryIdAttribute { get; }

        public Dictionary<Guid, Entity> Rows { get; } = new Dictionary<Guid, Entity>();

        /// <summary>Rows locked by an open transaction, with the committed version (null: the row is new in it).</summary>
        public Dictionary<Guid, LockedRow> Locked { get; } = new Dictionary<Guid, LockedRow>();

        public IReadOnlyList<AlternateKey> Keys => _keys;

        // ---------------------------------------------------------------- what a reader sees (read committed)

        /// <summary>The version of a row a reader sees: its own transaction's, else the committed one.</summary>
        public bool TryGetVisible(Guid id, StoreTransaction? reader, out Entity row)
        {
            if (Locked.Count > 0 && Locked.TryGetValue(id, out var locked) && locked.Owner != reader)
            {
                row = locked.Committed!;
                return row != null;
            }

            return Rows.TryGetValue(id, out row!);
        }

        /// <summary>
        /// The candidates (newest versions) as the reader sees them, plus the committed versions of rows other
        /// transactions changed or deleted (an index built on newest values cannot find those). Callers filter again.
        /// </summary>
        public IEnumerable<Entity> Visible(IEnumerable<Entity> candidates, StoreTransaction? reader)
        {
            if (Locked.Count == 0)
            {
                return candidates;
            }

            return VisibleWithLocks(candidates, reader);
        }

        private IEnumerable<Entity> VisibleWithLocks(IEnumerable<Entity> candidates, StoreTransaction? reader)
        {
            foreach (var row in candidates)
            {
                if (Locked.TryGetValue(row.Id, out var locked) && locked.Owner != reader)
                {
                    continue;
                }

                yield return row;
            }

            foreach (var locked in Locked.Values)
            {
                if (locked.Owner != reader && locked.Committed != null)
                {
                    yield return locked.Committed;
                }
            }
        }

        // ---------------------------------------------------------------- alternate keys

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

        /// <summary>
        /// The first row (other than <paramref name="self"/>) that holds one of the row's key values, newest or, for a
        /// row another transaction is changing, committed; null when every key is free.
        /// </summary>
        public (Guid Holder, string Description)? FindKeyConflict(Entity row, Guid? self)
        {
            foreach (var key in _keys)
            {
                var value = KeyValueOf(key, row);
                if (value == null)
                {
                    continue;
                }

                if (_keyIndexes[key.Name].TryGetValue(value, out var owner) && owner != self)
                {
                    return (owner, DescribeKey(key, row));
                }

                foreach (var locked in Locked.Values)
                {
                    if (locked.Committed != null && locked.Committed.Id != self && KeyValueOf(key, locked.Committed) == value)
                    {
                        return (locked.Committed.Id, DescribeKey(key, row));
                    }
                }
            }

            return null;
        }

        // ---------------------------------------------------------------- equality indexes on any column

        /// <summary>The equality index of a column, built from the rows on first use and kept through every write.</summary>
        public ColumnIndex ColumnIndexOf(string attribute)
        {
            if (!_columnIndexes.TryGetValue(attribute, out var index))
            {
                index = new ColumnIndex(attribute);
                foreach (var row in Rows.Values)
                {
                    index.Add(row);
                }

                _columnIndexes.Add(attribute, index);
            }

            return index;
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

            foreach (var index in _columnIndexes.Values)
            {
                index.Add(row);
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

            foreach (var index in _columnIndexes.Values)
            {
                index.Remove(row);
            }
        }

        private static string DescribeKey(AlternateKey key, Entity row) =>
            "(" + string.Join(", ", key.Attributes.Select(a => a + ":" + ValueSemantics.Normalize(row.Attributes[a]))) + ")";
    }

    /// <summary>A row an open transaction holds locked, and the version every other reader sees until it ends.</summary>
    internal sealed class LockedRow
    {
        public LockedRow(StoreTransaction owner, Entity? committed)
        {
            Owner = owner;
            Committed = committed;
        }

        public StoreTransaction Owner { get; }

        /// <summary>The committed version; null when the row did not exist before the transaction.</summary>
        public Entity? Committed { get; }
    }

    /// <summary>
    /// Row ids by the normalized value of one column (strings case-insensitively, as SQL's default collation).
    /// Used only when every value in the column is of one kind, so a condition value can be brought to that kind.
    /// </summary>
    internal sealed class ColumnIndex
    {
        private readonly Dictionary<object, HashSet<Guid>> _ids = new Dictionary<object, HashSet<Guid>>(NormalizedValueComparer.Instance);
        private readonly Dictionary<Type, int> _kinds = new Dictionary<Type, int>();

        public ColumnIndex(string attribute)
        {
            Attribute = attribute;
        }

        public string Attribute { get; }

        /// <summary>A stored value of the column, to bring condition values (strings from FetchXML) to the column's kind.</summary>
        public object? Sample { get; private set; }

        /// <summary>The ids of rows whose column equals the value; false when the index cannot answer (mixed kinds).</summary>
        public bool TryFind(object? conditionValue, out IReadOnlyCollection<Guid> ids)
        {
            ids = Array.Empty<Guid>();
            if (conditionValue == null || _kinds.Count > 1)
            {
                return false;
            }

            if (_kinds.Count == 0)
            {
                return true;
            }

            var key = ValueSemantics.Coerce(conditionValue, Sample);
            if (key == null || !_kinds.ContainsKey(key.GetType()))
            {
                return false;
            }

            if (_ids.TryGetValue(key, out var found))
            {
                ids = found;
            }

            return true;
        }

        public void Add(Entity row)
        {
            if (!row.Attributes.TryGetValue(Attribute, out var value) || value == null)
            {
                return;
            }

            var key = ValueSemantics.Normalize(value)!;
            if (!_ids.TryGetValue(key, out var ids))
            {
                ids = new HashSet<Guid>();
                _ids.Add(key, ids);
            }

            if (ids.Add(row.Id))
            {
                if (_kinds.Count == 0)
                {
                    Sample = value;
                }

                _kinds.TryGetValue(key.GetType(), out var count);
                _kinds[key.GetType()] = count + 1;
            }
        }

        public void Remove(Entity row)
        {
            if (!row.Attributes.TryGetValue(Attribute, out var value) || value == null)
            {
                return;
            }

            var key = ValueSemantics.Normalize(value)!;
            if (_ids.TryGetValue(key, out var ids) && ids.Remove(row.Id))
            {
                if (ids.Count == 0)
                {
                    _ids.Remove(key);
                }

                var kind = key.GetType();
                if (--_kinds[kind] == 0)
                {
                    _kinds.Remove(kind);
                }
            }
        }

        private sealed class NormalizedValueComparer : IEqualityComparer<object>
        {
            public static readonly NormalizedValueComparer Instance = new NormalizedValueComparer();

            public new bool Equals(object? x, object? y) =>
                x is string a && y is string b ? string.Equals(a, b, StringComparison.OrdinalIgnoreCase) : object.Equals(x, y);

            public int GetHashCode(object obj) => obj is string s ? StringComparer.OrdinalIgnoreCase.GetHashCode(s) : obj.GetHashCode();
        }
    }
}
