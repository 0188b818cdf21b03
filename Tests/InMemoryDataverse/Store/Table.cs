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
        private readonly Dictionary<string, Dictionary<object, Guid>> _keyIndexes = new Dictionary<string, Dictionary<object, Guid>>(StringComparer.Ordinal);
        private readonly List<AlternateKey> _keys = new List<AlternateKey>();
        // The index of each key in _keys, at the same position: every write reaches its indexes without a look-up by name.
        private readonly List<Dictionary<object, Guid>> _keyIndexList = new List<Dictionary<object, Guid>>();
        private readonly Dictionary<string, ColumnIndex> _columnIndexes = new Dictionary<string, ColumnIndex>(StringComparer.Ordinal);

        public Table(string name, string primaryIdAttribute)
        {
            Name = name;
            PrimaryIdAttribute = primaryIdAttribute;
            Columns = new TableColumns(name, primaryIdAttribute);
        }

        public string Name { get; }

        public string PrimaryIdAttribute { get; }

        /// <summary>The column ordinals of this table's stored rows.</summary>
        public TableColumns Columns { get; }

        public Dictionary<Guid, StoredRow> Rows { get; private set; } = new Dictionary<Guid, StoredRow>();

        /// <summary>Rows locked by an open transaction, with the committed version (null: the row is new in it).</summary>
        public Dictionary<Guid, LockedRow> Locked { get; } = new Dictionary<Guid, LockedRow>();

        public IReadOnlyList<AlternateKey> Keys => _keys;

        // ---------------------------------------------------------------- what a reader sees (read committed)

        /// <summary>The version of a row a reader sees: its own transaction's, else the committed one.</summary>
        public bool TryGetVisible(Guid id, StoreTransaction? reader, out StoredRow row)
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
        public IEnumerable<StoredRow> Visible(IEnumerable<StoredRow> candidates, StoreTransaction? reader)
        {
            if (Locked.Count == 0)
            {
                return candidates;
            }

            return VisibleWithLocks(candidates, reader);
        }

        private IEnumerable<StoredRow> VisibleWithLocks(IEnumerable<StoredRow> candidates, StoreTransaction? reader)
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

        // ---------------------------------------------------------------- rows in and out

        /// <summary>
        /// The compact stored form of a row the caller already copied: its values move into the row (no further copy),
        /// repeated lookups and choices share one stored instance (<paramref name="shared"/>). Null values are left out.
        /// </summary>
        public StoredRow ToStored(Entity entity, SharedValues shared) =>
            Stored(entity, entity.Id, RowVersionNumber(entity.RowVersion), shared, copyValues: false);

        /// <summary>
        /// A stored row straight from a caller's entity (seeding): each non-null value copied once, the id given. The
        /// caller's entity is not kept.
        /// </summary>
        public StoredRow CopyToStored(Entity entity, Guid id, long rowVersion, SharedValues shared) =>
            Stored(entity, id, rowVersion, shared, copyValues: true);

        private StoredRow Stored(Entity entity, Guid id, long rowVersion, SharedValues shared, bool copyValues)
        {
            // One pass: ordinals and values into scratch arrays (the store's lock is held), then the row's own array.
            var count = 0;
            var maxOrdinal = -1;
            foreach (var pair in entity.Attributes)
            {
                if (pair.Value == null || pair.Key == PrimaryIdAttribute)
                {
                    continue;
                }

                if (count == _scratchOrdinals.Length)
                {
                    Array.Resize(ref _scratchOrdinals, count * 2);
                    Array.Resize(ref _scratchValues, count * 2);
                }

                var ordinal = Columns.Add(pair.Key);
                _scratchOrdinals[count] = ordinal;
                _scratchValues[count++] = copyValues ? shared.ShareCopyOf(pair.Value) : shared.Share(pair.Value);
                maxOrdinal = Math.Max(maxOrdinal, ordinal);
            }

            var values = maxOrdinal < 0 ? Array.Empty<object?>() : new object?[maxOrdinal + 1];
            for (var i = 0; i < count; i++)
            {
                values[_scratchOrdinals[i]] = _scratchValues[i];
                _scratchValues[i] = null;
            }

            return new StoredRow(Columns, id, values, rowVersion, FormattedValuesOf(entity));
        }

        private int[] _scratchOrdinals = new int[16];
        private object?[] _scratchValues = new object?[16];

        /// <summary>The number in a row version the store gave out (0 when there is none).</summary>
        private static long RowVersionNumber(string? rowVersion) =>
            long.TryParse(rowVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;

        /// <summary>Makes room for a number of rows at once when the table is empty (seeding many rows grows it once, not step by step).</summary>
        public void Reserve(int rows)
        {
            if (rows > Rows.Count && Rows.Count == 0)
            {
                Rows = new Dictionary<Guid, StoredRow>(rows);
                // The key indexes too: grown step by step, each doubling copies the index into a new large array.
                for (var i = 0; i < _keys.Count; i++)
                {
                    var index = new Dictionary<object, Guid>(rows, IndexedValueComparer.Instance);
                    _keyIndexList[i] = index;
                    _keyIndexes[_keys[i].Name] = index;
                }
            }
        }

        private static KeyValuePair<string, string>[]? FormattedValuesOf(Entity entity) =>
            entity.FormattedValues.Count == 0 ? null : entity.FormattedValues.ToArray();

        // ---------------------------------------------------------------- alternate keys

        public void AddKeyIndex(AlternateKey key)
        {
            var replaced = _keys.FindIndex(k => k.Name == key.Name);
            if (replaced >= 0)
            {
                _keys.RemoveAt(replaced);
                _keyIndexList.RemoveAt(replaced);
            }

            var index = new Dictionary<object, Guid>(IndexedValueComparer.Instance);
            _keys.Add(key);
            _keyIndexList.Add(index);
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

        /// <summary>
        /// The index entry of a row for a key (compared as <see cref="IndexedValueComparer"/> does); null when any key
        /// column is empty (not indexed, as SQL's filtered unique index).
        /// </summary>
        public static object? KeyValueOf(AlternateKey key, StoredRow row)
        {
            if (key.Attributes.Count == 1)
            {
                return row.TryGetValue(key.Attributes[0], out var single) ? ValueSemantics.Normalize(single) : null;
            }

            var parts = new object[key.Attributes.Count];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!row.TryGetValue(key.Attributes[i], out var value))
                {
                    return null;
                }

                parts[i] = ValueSemantics.Normalize(value)!;
            }

            return new CompositeKey(parts);
        }

        /// <summary>The index entry for key values given by name (exactly the key's columns, none empty), or null.</summary>
        public static object? KeyValueOf(AlternateKey key, IEnumerable<KeyValuePair<string, object>> values, int count)
        {
            if (count != key.Attributes.Count)
            {
                return null;
            }

            var parts = new object[key.Attributes.Count];
            foreach (var pair in values)
            {
                var position = IndexOf(key.Attributes, pair.Key);
                if (position < 0 || pair.Value == null)
                {
                    return null;
                }

                parts[position] = ValueSemantics.Normalize(pair.Value)!;
            }

            return parts.Length == 1 ? parts[0] : new CompositeKey(parts);
        }

        private static int IndexOf(IReadOnlyList<string> names, string name)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }

        public bool TryFindByKey(AlternateKey key, object keyValue, out Guid id) => _keyIndexes[key.Name].TryGetValue(keyValue, out id);

        /// <summary>
        /// The first row (other than <paramref name="self"/>) that holds one of the row's key values, newest or, for a
        /// row another transaction is changing, committed; null when every key is free.
        /// </summary>
        public (Guid Holder, string Description)? FindKeyConflict(StoredRow row, Guid? self)
        {
            for (var k = 0; k < _keys.Count; k++)
            {
                var key = _keys[k];
                var value = KeyValueOf(key, row);
                if (value == null)
                {
                    continue;
                }

                if (_keyIndexList[k].TryGetValue(value, out var owner) && owner != self)
                {
                    return (owner, DescribeKey(key, row));
                }

                foreach (var locked in Locked.Values)
                {
                    if (locked.Committed != null && locked.Committed.Id != self && IndexedValueComparer.Instance.Equals(KeyValueOf(key, locked.Committed), value))
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

        public void AddToIndexes(StoredRow row)
        {
            for (var k = 0; k < _keys.Count; k++)
            {
                var value = KeyValueOf(_keys[k], row);
                if (value != null)
                {
                    _keyIndexList[k][value] = row.Id;
                }
            }

            foreach (var index in _columnIndexes.Values)
            {
                index.Add(row);
            }
        }

        public void RemoveFromIndexes(StoredRow row)
        {
            for (var k = 0; k < _keys.Count; k++)
            {
                var value = KeyValueOf(_keys[k], row);
                if (value != null && _keyIndexList[k].TryGetValue(value, out var owner) && owner == row.Id)
                {
                    _keyIndexList[k].Remove(value);
                }
            }

            foreach (var index in _columnIndexes.Values)
            {
                index.Remove(row);
            }
        }

        private static string DescribeKey(AlternateKey key, StoredRow row) =>
            "(" + string.Join(", ", key.Attributes.Select(a => a + ":" + ValueSemantics.Normalize(row.Attributes[a]))) + ")";
    }

    /// <summary>A row an open transaction holds locked, and the version every other reader sees until it ends.</summary>
    internal sealed class LockedRow
    {
        public LockedRow(StoreTransaction owner, StoredRow? committed)
        {
            Owner = owner;
            Committed = committed;
        }

        public StoreTransaction Owner { get; }

        /// <summary>The committed version; null when the row did not exist before the transaction.</summary>
        public StoredRow? Committed { get; }
    }

    /// <summary>
    /// The stored rows whose column equals a value, by the normalized value (strings case-insensitively, as SQL's default
    /// collation). Used only when every value in the column is of one kind, so a condition value can be brought to that kind.
    /// </summary>
    internal sealed class ColumnIndex
    {
        private readonly Dictionary<object, HashSet<StoredRow>> _rows = new Dictionary<object, HashSet<StoredRow>>(IndexedValueComparer.Instance);
        private readonly Dictionary<Type, int> _kinds = new Dictionary<Type, int>();

        public ColumnIndex(string attribute)
        {
            Attribute = attribute;
        }

        public string Attribute { get; }

        /// <summary>A stored value of the column, to bring condition values (strings from FetchXML) to the column's kind.</summary>
        public object? Sample { get; private set; }

        /// <summary>The rows whose column equals the value; false when the index cannot answer (mixed kinds).</summary>
        public bool TryFind(object? conditionValue, out IReadOnlyCollection<StoredRow> rows)
        {
            rows = Array.Empty<StoredRow>();
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

            if (_rows.TryGetValue(key, out var found))
            {
                rows = found;
            }

            return true;
        }

        public void Add(StoredRow row)
        {
            if (!row.TryGetValue(Attribute, out var value))
            {
                return;
            }

            var key = ValueSemantics.Normalize(value)!;
            if (!_rows.TryGetValue(key, out var rows))
            {
                rows = new HashSet<StoredRow>();
                _rows.Add(key, rows);
            }

            if (rows.Add(row))
            {
                if (_kinds.Count == 0)
                {
                    Sample = value;
                }

                _kinds.TryGetValue(key.GetType(), out var count);
                _kinds[key.GetType()] = count + 1;
            }
        }

        public void Remove(StoredRow row)
        {
            if (!row.TryGetValue(Attribute, out var value))
            {
                return;
            }

            var key = ValueSemantics.Normalize(value)!;
            if (_rows.TryGetValue(key, out var rows) && rows.Remove(row))
            {
                if (rows.Count == 0)
                {
                    _rows.Remove(key);
                }

                var kind = key.GetType();
                if (--_kinds[kind] == 0)
                {
                    _kinds.Remove(kind);
                }
            }
        }
    }

    /// <summary>The normalized values of a key of several columns, compared part by part.</summary>
    internal sealed class CompositeKey
    {
        public CompositeKey(object[] parts)
        {
            Parts = parts;
        }

        public object[] Parts { get; }
    }

    /// <summary>
    /// Equality of normalized values as the indexes need it: strings case-insensitively (SQL's default collation, as
    /// Dataverse's keys), <see cref="CompositeKey"/> part by part, everything else by Equals.
    /// </summary>
    internal sealed class IndexedValueComparer : IEqualityComparer<object>
    {
        public static readonly IndexedValueComparer Instance = new IndexedValueComparer();

        public new bool Equals(object? x, object? y)
        {
            switch (x)
            {
                case string a: return y is string b && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
                case CompositeKey ka:
                    if (!(y is CompositeKey kb) || ka.Parts.Length != kb.Parts.Length)
                    {
                        return false;
                    }

                    for (var i = 0; i < ka.Parts.Length; i++)
                    {
                        if (!Equals(ka.Parts[i], kb.Parts[i]))
                        {
                            return false;
                        }
                    }

                    return true;
                default: return object.Equals(x, y);
            }
        }

        public int GetHashCode(object obj)
        {
            switch (obj)
            {
                case string s: return StringComparer.OrdinalIgnoreCase.GetHashCode(s);
                case CompositeKey key:
                    var hash = 17;
                    foreach (var part in key.Parts)
                    {
                        hash = unchecked(hash * 31 + GetHashCode(part));
                    }

                    return hash;
                default: return obj.GetHashCode();
            }
        }
    }
}
