using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// Rows per table, hashed by primary id, declared alternate keys and (on first use) any queried column. Safe for
    /// any number of threads, with Dataverse's transaction behaviour: each thread's operation runs in its own
    /// transaction; a write locks its row until that transaction commits or rolls back (another writer of the row
    /// waits; a wait that would close a cycle fails as SQL's deadlock victim does); readers outside the transaction
    /// see the committed version of a locked row (read committed, never blocked by writers). Stored entities are
    /// private copies: callers get clones in and out.
    /// </summary>
    internal sealed class EntityStore
    {
        private readonly MetadataRegistry _metadata;
        private readonly Dictionary<string, Table> _tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        private readonly ThreadLocal<StoreTransaction?> _current = new ThreadLocal<StoreTransaction?>();
        private readonly SharedValues _shared = new SharedValues();
        private long _rowVersion = 1000;
        private long _changes;

        public EntityStore(MetadataRegistry metadata)
        {
            _metadata = metadata;
        }

        /// <summary>The one lock that guards every table; held only for the length of a store call or a query.</summary>
        public object Sync { get; } = new object();

        /// <summary>How long a write waits for a row another transaction holds before it fails as SQL's timeout does.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Counts every change of any row (writes and their undoing): a result computed at one count is still true at the same count.</summary>
        public long Changes => Interlocked.Read(ref _changes);

        /// <summary>The calling thread's open transaction, or null.</summary>
        public StoreTransaction? CurrentTransaction => _current.Value;

        public StoreTransaction Begin()
        {
            var transaction = new StoreTransaction();
            _current.Value = transaction;
            return transaction;
        }

        public void Commit(StoreTransaction transaction)
        {
            lock (Sync)
            {
                ReleaseLocks(transaction);
            }

            _current.Value = null;
        }

        /// <summary>Undoes every change of the transaction, newest first, then releases its row locks.</summary>
        public void Rollback(StoreTransaction transaction)
        {
            lock (Sync)
            {
                for (var i = transaction.Undo.Count - 1; i >= 0; i--)
                {
                    transaction.Undo[i]();
                }

                ReleaseLocks(transaction);
            }

            _current.Value = null;
        }

        public string NextRowVersion() => NextRowVersionNumber().ToString(System.Globalization.CultureInfo.InvariantCulture);

        private long NextRowVersionNumber() => Interlocked.Increment(ref _rowVersion);

        public IEnumerable<string> TableNames
        {
            get
            {
                lock (Sync)
                {
                    return _tables.Keys.ToList();
                }
            }
        }

        public Table GetTable(string entityName)
        {
            lock (Sync)
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
        }

        public bool TryGetTable(string entityName, out Table table)
        {
            lock (Sync)
            {
                return _tables.TryGetValue(entityName, out table!);
            }
        }

        /// <summary>Rebuilds a table's key index after a key is declared (rows may already exist).</summary>
        public void IndexKey(AlternateKey key)
        {
            lock (Sync)
            {
                GetTable(key.EntityName).AddKeyIndex(key);
            }
        }

        /// <summary>The row as the calling thread sees it (its own transaction's version, else the committed one), or null.</summary>
        public StoredRow? Find(string entityName, Guid id)
        {
            var reader = _current.Value;
            lock (Sync)
            {
                return _tables.TryGetValue(entityName, out var table) && table.TryGetVisible(id, reader, out var row) ? row : null;
            }
        }

        /// <summary>Locks the row for the calling thread's transaction (waiting for another holder to finish) and returns its newest version.</summary>
        public StoredRow? FindForWrite(string entityName, Guid id)
        {
            var writer = _current.Value;
            lock (Sync)
            {
                var table = GetTable(entityName);
                Lock(table, id, writer);
                return table.Rows.TryGetValue(id, out var row) ? row : null;
            }
        }

        /// <summary>The rows of a table the calling thread sees, as a list of its own (none when the table was never written).</summary>
        public List<StoredRow> Rows(string entityName)
        {
            var reader = _current.Value;
            lock (Sync)
            {
                return _tables.TryGetValue(entityName, out var table) ? table.Visible(table.Rows.Values, reader).ToList() : new List<StoredRow>();
            }
        }

        /// <summary>The id of the row an alternate key (or the primary key given as a key) names, or null.</summary>
        public Guid? FindIdByKeys(string entityName, KeyAttributeCollection keyAttributes)
        {
            var reader = _current.Value;
            lock (Sync)
            {
                var table = GetTable(entityName);
                if (keyAttributes.Count == 1 && keyAttributes.Keys.First() == table.PrimaryIdAttribute)
                {
                    var id = ValueSemantics.Coerce(keyAttributes.Values.First(), Guid.Empty);
                    return id is Guid g && table.TryGetVisible(g, reader, out _) ? g : (Guid?)null;
                }

                foreach (var key in table.Keys)
                {
                    var value = Table.KeyValueOf(key, keyAttributes, keyAttributes.Count);
                    if (value != null)
                    {
                        return table.TryFindByKey(key, value, out var id) && table.TryGetVisible(id, reader, out _) ? id : (Guid?)null;
                    }
                }
            }

            throw Faults.InvalidArgument($"No alternate key of {entityName} is made of the columns {DescribeKeys(keyAttributes)} (declare it with DeclareAlternateKey).");
        }

        public static string DescribeKeys(KeyAttributeCollection keys) =>
            string.Join(", ", keys.Select(p => p.Key + "=" + ValueSemantics.Normalize(p.Value)));

        /// <summary>
        /// Inserts a row the caller already cloned (its values move into the store; the caller must not change it
        /// afterwards); faults on a duplicate id or key (after waiting for a transaction that holds it).
        /// </summary>
        public void Insert(Entity row)
        {
            var writer = _current.Value;
            lock (Sync)
            {
                var table = GetTable(row.LogicalName);
                InsertLocked(table, table.ToStored(row, _shared), writer);
            }
        }

        /// <summary>
        /// Seeds a copy of a caller's row (values copied once, nulls left out); its id is the entity's, else its primary
        /// id column's, else a new one. As <see cref="Insert"/> otherwise.
        /// </summary>
        public void InsertCopy(Entity source, int expectedRows = 0)
        {
            var writer = _current.Value;
            lock (Sync)
            {
                var table = GetTable(source.LogicalName);
                table.Reserve(expectedRows);
                var id = source.Id != Guid.Empty ? source.Id
                    : source.Attributes.TryGetValue(table.PrimaryIdAttribute, out var idValue) && idValue is Guid g && g != Guid.Empty ? g
                    : Guid.NewGuid();
                InsertLocked(table, table.CopyToStored(source, id, NextRowVersionNumber(), _shared), writer);
            }
        }

        private void InsertLocked(Table table, StoredRow row, StoreTransaction? writer)
        {
            Lock(table, row.Id, writer);
            if (table.Rows.ContainsKey(row.Id))
            {
                throw Faults.Duplicate(table.Name, $"{table.PrimaryIdAttribute} = {row.Id:D}");
            }

            WaitForFreeKeys(table, row, null, writer);
            table.Rows.Add(row.Id, row);
            table.AddToIndexes(row);
            _changes++;
            writer?.Undo.Add(() =>
            {
                table.RemoveFromIndexes(row);
                table.Rows.Remove(row.Id);
                _changes++;
            });
        }

        /// <summary>Replaces a stored row with a new version the caller already cloned (the old version is kept for rollback).</summary>
        public void Replace(Entity newEntity)
        {
            var writer = _current.Value;
            lock (Sync)
            {
                var table = GetTable(newEntity.LogicalName);
                var newRow = table.ToStored(newEntity, _shared);
                Lock(table, newRow.Id, writer);
                var oldRow = table.Rows[newRow.Id];
                WaitForFreeKeys(table, newRow, newRow.Id, writer);
                table.RemoveFromIndexes(oldRow);
                table.Rows[newRow.Id] = newRow;
                table.AddToIndexes(newRow);
                _changes++;
                writer?.Undo.Add(() =>
                {
                    table.RemoveFromIndexes(newRow);
                    table.Rows[oldRow.Id] = oldRow;
                    table.AddToIndexes(oldRow);
                    _changes++;
                });
            }
        }

        public void Remove(string entityName, Guid id)
        {
            var writer = _current.Value;
            lock (Sync)
            {
                var table = GetTable(entityName);
                Lock(table, id, writer);
                if (!table.Rows.TryGetValue(id, out var oldRow))
                {
                    return;
                }

                table.RemoveFromIndexes(oldRow);
                table.Rows.Remove(id);
                _changes++;
                writer?.Undo.Add(() =>
                {
                    table.Rows[oldRow.Id] = oldRow;
                    table.AddToIndexes(oldRow);
                    _changes++;
                });
            }
        }

        // ---------------------------------------------------------------- row locks (called under Sync)

        /// <summary>
        /// Takes the row's lock for the writer's transaction, waiting while another transaction holds it. Writes
        /// outside a transaction (seeding with Initialize) take no lock.
        /// </summary>
        private void Lock(Table table, Guid id, StoreTransaction? writer)
        {
            if (writer == null)
            {
                return;
            }

            while (table.Locked.TryGetValue(id, out var held))
            {
                if (held.Owner == writer)
                {
                    return;
                }

                WaitFor(held.Owner, writer, table.Name, id);
            }

            table.Rows.TryGetValue(id, out var committed);
            table.Locked.Add(id, new LockedRow(writer, committed));
            writer.LockedRows.Add((table, id));
        }

        /// <summary>A unique key value held by a row another transaction is writing: wait for it, then look again (SQL's key lock).</summary>
        private void WaitForFreeKeys(Table table, StoredRow row, Guid? self, StoreTransaction? writer)
        {
            while (true)
            {
                var conflict = table.FindKeyConflict(row, self);
                if (conflict == null)
                {
                    return;
                }

                if (writer == null || !table.Locked.TryGetValue(conflict.Value.Holder, out var held) || held.Owner == writer)
                {
                    throw Faults.Duplicate(table.Name, conflict.Value.Description);
                }

                WaitFor(held.Owner, writer, table.Name, conflict.Value.Holder);
            }
        }

        private void WaitFor(StoreTransaction holder, StoreTransaction waiter, string tableName, Guid id)
        {
            for (var t = holder; t != null; t = t.WaitingFor)
            {
                if (t == waiter)
                {
                    throw Faults.Create(ErrorCodes.SqlError,
                        $"Generic SQL error. Sql Number: 1205 (deadlock: this transaction was chosen as the victim while waiting for {tableName} {id:D}).");
                }
            }

            waiter.WaitingFor = holder;
            try
            {
                if (!Monitor.Wait(Sync, LockTimeout))
                {
                    throw Faults.Create(ErrorCodes.SqlTimeout,
                        $"SQL timeout expired. Sql Number: -2 (waited {LockTimeout.TotalSeconds:0} s for {tableName} {id:D}, locked by another transaction).");
                }
            }
            finally
            {
                waiter.WaitingFor = null;
            }
        }

        private void ReleaseLocks(StoreTransaction transaction)
        {
            if (transaction.LockedRows.Count == 0)
            {
                return;
            }

            foreach (var (table, id) in transaction.LockedRows)
            {
                table.Locked.Remove(id);
            }

            transaction.LockedRows.Clear();
            // Other readers now see this transaction's versions.
            _changes++;
            Monitor.PulseAll(Sync);
        }
    }

    /// <summary>One open transaction: its undo log, its row locks, whether a failed write doomed it, and the async steps it queued.</summary>
    internal sealed class StoreTransaction
    {
        public List<Action> Undo { get; } = new List<Action>();

        public List<(Table Table, Guid Id)> LockedRows { get; } = new List<(Table, Guid)>();

        /// <summary>The transaction this one waits for (to find deadlocks); null when it is not waiting.</summary>
        public StoreTransaction? WaitingFor { get; set; }

        /// <summary>A data operation failed inside it: Dataverse ends the whole transaction.</summary>
        public bool Doomed { get; set; }

        public List<PendingAsyncOperation> AsyncOperations { get; } = new List<PendingAsyncOperation>();
    }
}
