using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// One stored version of a row, compact: its id, row version and an array of values indexed by the table's column
    /// ordinals (<see cref="TableColumns"/>); null is an absent column (Dataverse stores no null column values either).
    /// The primary id column is not stored: it is the row's <see cref="Id"/>. A version is never changed once stored
    /// (an Update stores a new one), so readers on any thread can hold it; its values are private copies that never
    /// leave the store (<see cref="ToEntity"/> and the query engine's projection copy them). An <see cref="Entity"/>
    /// is built only on the way out, where a copy is made anyway. Reads mirror Entity's (<see cref="GetAttributeValue{T}"/>,
    /// <see cref="Attributes"/>), so code that inspects a stored row reads it as it would an Entity.
    /// </summary>
    internal sealed class StoredRow
    {
        private readonly TableColumns _columns;
        private readonly object?[] _values;
        private readonly long _rowVersion;

        internal StoredRow(TableColumns columns, Guid id, object?[] values, long rowVersion, KeyValuePair<string, string>[]? formattedValues)
        {
            _columns = columns;
            Id = id;
            _values = values;
            _rowVersion = rowVersion;
            FormattedValues = formattedValues;
        }

        public string LogicalName => _columns.TableName;

        public Guid Id { get; }

        /// <summary>The row version as Dataverse gives it (a number in a string), written out when asked for: rows keep the number.</summary>
        public string? RowVersion => _rowVersion == 0 ? null : _rowVersion.ToString(CultureInfo.InvariantCulture);

        /// <summary>Formatted values stored with the row (seeded ones); null when there are none, as for almost every row.</summary>
        public KeyValuePair<string, string>[]? FormattedValues { get; }

        internal TableColumns Columns => _columns;

        /// <summary>The columns as Entity.Attributes reads them (a view: nothing is copied).</summary>
        public RowAttributes Attributes => new RowAttributes(this);

        /// <summary>The stored value at a column ordinal (from <see cref="TableColumns.OrdinalOf"/>), or null.</summary>
        public object? ValueAt(int ordinal) =>
            ordinal == TableColumns.PrimaryIdOrdinal ? Id
            : ordinal >= 0 && ordinal < _values.Length ? _values[ordinal]
            : null;

        public bool TryGetValue(string column, out object? value)
        {
            value = ValueAt(_columns.OrdinalOf(column));
            return value != null;
        }

        public bool Contains(string column) => ValueAt(_columns.OrdinalOf(column)) != null;

        /// <summary>As <see cref="Entity.GetAttributeValue{T}"/>: default(T) when the column is absent.</summary>
        public T GetAttributeValue<T>(string column)
        {
            var value = ValueAt(_columns.OrdinalOf(column));
            return value == null ? default! : (T)value;
        }

        /// <summary>A new Entity with copies of every value (the primary id included), for code that changes it.</summary>
        public Entity ToEntity()
        {
            var entity = new Entity(LogicalName) { Id = Id, RowVersion = RowVersion };
            var names = _columns.Names;
            for (var i = 0; i < _values.Length; i++)
            {
                if (_values[i] != null)
                {
                    entity.Attributes[names[i]] = ValueSemantics.CloneValue(_values[i]);
                }
            }

            entity.Attributes[_columns.PrimaryIdAttribute] = Id;
            if (FormattedValues != null)
            {
                foreach (var pair in FormattedValues)
                {
                    entity.FormattedValues[pair.Key] = pair.Value;
                }
            }

            return entity;
        }

        /// <summary>The (name, value) pairs of the present columns, the primary id last (as the harness always wrote it last).</summary>
        internal IEnumerable<KeyValuePair<string, object>> Pairs()
        {
            var names = _columns.Names;
            for (var i = 0; i < _values.Length; i++)
            {
                if (_values[i] != null)
                {
                    yield return new KeyValuePair<string, object>(names[i], _values[i]!);
                }
            }

            yield return new KeyValuePair<string, object>(_columns.PrimaryIdAttribute, Id);
        }

        internal int ValueCount => _values.Length;

        internal object? RawValue(int ordinal) => _values[ordinal];
    }

    /// <summary>A stored row's columns read as Entity.Attributes is read (TryGetValue, ContainsKey, the indexer, foreach).</summary>
    internal readonly struct RowAttributes
    {
        private readonly StoredRow _row;

        public RowAttributes(StoredRow row)
        {
            _row = row;
        }

        public bool TryGetValue(string column, out object? value) => _row.TryGetValue(column, out value);

        public bool ContainsKey(string column) => _row.Contains(column);

        public object? this[string column] => _row.TryGetValue(column, out var value) ? value : throw new KeyNotFoundException($"The given key '{column}' was not present in the dictionary.");

        public IEnumerable<string> Keys
        {
            get
            {
                foreach (var pair in _row.Pairs())
                {
                    yield return pair.Key;
                }
            }
        }

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _row.Pairs().GetEnumerator();
    }

    /// <summary>
    /// A table's column names and their ordinals in stored rows. Columns are only ever added (an ordinal never changes
    /// meaning), under the store's lock; readers on other threads see an immutable snapshot, replaced whole on each add.
    /// </summary>
    internal sealed class TableColumns
    {
        /// <summary>The ordinal that stands for the primary id column (not stored in the values).</summary>
        public const int PrimaryIdOrdinal = -2;

        /// <summary>The ordinal of a column no row has.</summary>
        public const int Absent = -1;

        private Snapshot _snapshot = new Snapshot(new Dictionary<string, int>(StringComparer.Ordinal), Array.Empty<string>());

        public TableColumns(string tableName, string primaryIdAttribute)
        {
            TableName = tableName;
            PrimaryIdAttribute = primaryIdAttribute;
        }

        public string TableName { get; }

        public string PrimaryIdAttribute { get; }

        public int Count => Volatile.Read(ref _snapshot).Names.Length;

        /// <summary>Column names by ordinal.</summary>
        public string[] Names => Volatile.Read(ref _snapshot).Names;

        public int OrdinalOf(string column)
        {
            if (column == PrimaryIdAttribute)
            {
                return PrimaryIdOrdinal;
            }

            return Volatile.Read(ref _snapshot).Ordinals.TryGetValue(column, out var ordinal) ? ordinal : Absent;
        }

        /// <summary>The column's ordinal, adding the column when no row had it yet (called under the store's lock).</summary>
        public int Add(string column)
        {
            var ordinal = OrdinalOf(column);
            if (ordinal != Absent)
            {
                return ordinal;
            }

            var current = _snapshot;
            var ordinals = new Dictionary<string, int>(current.Ordinals, StringComparer.Ordinal);
            var names = new string[current.Names.Length + 1];
            Array.Copy(current.Names, names, current.Names.Length);
            ordinal = current.Names.Length;
            names[ordinal] = column;
            ordinals.Add(column, ordinal);
            Volatile.Write(ref _snapshot, new Snapshot(ordinals, names));
            return ordinal;
        }

        private sealed class Snapshot
        {
            public Snapshot(Dictionary<string, int> ordinals, string[] names)
            {
                Ordinals = ordinals;
                Names = names;
            }

            public Dictionary<string, int> Ordinals { get; }

            public string[] Names { get; }
        }
    }
}
