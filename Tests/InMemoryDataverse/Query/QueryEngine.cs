using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>
    /// Runs QueryExpression (and, through conversion, QueryByAttribute and FetchXML) over the store. Equality on the
    /// primary id, on all columns of a declared alternate key or on any other column (its index is built by the first
    /// such query) is a hash lookup; everything else is a scan over a compiled predicate. The steps of a query: the
    /// candidate rows, the joins, the filter, the order, then (only for the page returned) the copies out.
    /// </summary>
    internal sealed partial class QueryEngine
    {
        private readonly EntityStore _store;
        private readonly PagedMatches _pagedMatches = new PagedMatches();
        private StoreTransaction? _reader;
        private Func<StoredRow, bool>? _readable;

        public QueryEngine(EntityStore store)
        {
            _store = store;
        }

        /// <summary>One candidate result: the main row plus the row joined under each link alias (null for an unmatched outer link).</summary>
        private sealed class JoinedRow
        {
            public JoinedRow(StoredRow main)
            {
                Main = main;
            }

            public StoredRow Main { get; set; }

            public Dictionary<string, StoredRow?>? Links { get; set; }

            public JoinedRow With(string alias, StoredRow? row)
            {
                var copy = new JoinedRow(Main) { Links = Links == null ? new Dictionary<string, StoredRow?>(StringComparer.Ordinal) : new Dictionary<string, StoredRow?>(Links, StringComparer.Ordinal) };
                copy.Links[alias] = row;
                return copy;
            }

            // A condition or order may name the root table itself instead of leaving EntityName empty.
            public StoredRow? RowFor(string? alias) =>
                alias == null ? Main
                : Links != null && Links.TryGetValue(alias, out var row) ? row
                : alias == Main.LogicalName ? Main
                : null;
        }

        private sealed class LinkPlan
        {
            public LinkPlan(LinkEntity link, string alias, string? parentAlias)
            {
                Link = link;
                Alias = alias;
                ParentAlias = parentAlias;
            }

            public LinkEntity Link { get; }
            public string Alias { get; }
            public string? ParentAlias { get; }
            public List<LinkPlan> Children { get; } = new List<LinkPlan>();
        }

        /// <summary>Runs a query as the calling thread sees the rows (its own transaction's writes and everything committed).</summary>
        public EntityCollection Execute(QueryExpression query, Func<StoredRow, bool>? readable = null)
        {
            var reader = _store.CurrentTransaction;
            lock (_store.Sync)
            {
                // Queries run one at a time under the store's lock, so the reader can live in a field meanwhile.
                _reader = reader;
                _readable = readable;
                try
                {
                    return ExecuteLocked(query);
                }
                finally
                {
                    _reader = null;
                    _readable = null;
                }
            }
        }

        private EntityCollection ExecuteLocked(QueryExpression query)
        {
            var table = _store.GetTable(query.EntityName);
            var links = PlanLinks(query);
            // A later page of a query asked before, with no change since: the matches of the first page, not a new scan.
            var reusable = _readable == null && IsPaged(query);
            var matches = (reusable ? _pagedMatches.Find(query, _store.Changes, _reader) : null) ?? OrderedMatches(query, table, links);
            if (reusable)
            {
                _pagedMatches.Keep(query, _store.Changes, _reader, matches);
            }

            return PageOf(query, table, links, matches);
        }

        /// <summary>Every row that matches the criteria and the joins, in the query's order.</summary>
        private List<JoinedRow> OrderedMatches(QueryExpression query, Table table, List<LinkPlan> links)
        {
            var rows = links.Count == 0 ? Filter(table, query.Criteria) : FilterJoined(table, query.Criteria, links);
            return Order(query, rows, links);
        }

        /// <summary>The returned page: only its rows are copied out (all of them first when Distinct must compare copies).</summary>
        private static EntityCollection PageOf(QueryExpression query, Table table, List<LinkPlan> links, List<JoinedRow> matches)
        {
            if (query.Distinct)
            {
                var distinct = matches.Select(r => Project(r, query.ColumnSet, links, table.PrimaryIdAttribute))
                    .Distinct(new ProjectionComparer(table.PrimaryIdAttribute)).ToList();
                return Paging.Page(query, distinct, e => e.Id, (e, column) => e.Attributes.TryGetValue(column, out var value) ? value : null, e => e, table.PrimaryIdAttribute);
            }

            return Paging.Page(query, matches, r => r.Main.Id, (r, column) => r.Main.TryGetValue(column, out var value) ? value : null,
                r => Project(r, query.ColumnSet, links, table.PrimaryIdAttribute), table.PrimaryIdAttribute);
        }

        /// <summary>The candidates that pass the filter, for a query without links (one reusable row for the test, a new one per match).</summary>
        private List<JoinedRow> Filter(Table table, FilterExpression criteria)
        {
            var predicate = CompileFilter(criteria, null);
            var rows = new List<JoinedRow>();
            JoinedRow? scratch = null;
            foreach (var candidate in Candidates(table, criteria))
            {
                scratch ??= new JoinedRow(candidate);
                scratch.Main = candidate;
                if (predicate(scratch))
                {
                    rows.Add(new JoinedRow(candidate));
                }
            }

            return rows;
        }

        /// <summary>The candidates joined with every link, then filtered.</summary>
        private List<JoinedRow> FilterJoined(Table table, FilterExpression criteria, List<LinkPlan> links)
        {
            var predicate = CompileFilter(criteria, null);
            var rows = new List<JoinedRow>();
            foreach (var candidate in Candidates(table, criteria))
            {
                IEnumerable<JoinedRow> joined = new[] { new JoinedRow(candidate) };
                foreach (var link in links)
                {
                    joined = Join(joined, link);
                }

                foreach (var row in joined)
                {
                    if (predicate(row))
                    {
                        rows.Add(row);
                    }
                }
            }

            return rows;
        }

        /// <summary>
        /// The query's own orders, then the orders given on its links: "Dataverse always orders columns specified by
        /// LinkEntity.Orders after QueryExpression.Orders" ("Order rows using QueryExpression"). The rows as they are when there are none.
        /// </summary>
        private static List<JoinedRow> Order(QueryExpression query, List<JoinedRow> rows, List<LinkPlan> links)
        {
            if (query.Orders.Count == 0 && links.Count == 0)
            {
                return rows;
            }

            var orders = query.Orders.Select(o => (o, (string?)(string.IsNullOrEmpty(o.EntityName) ? null : o.EntityName)))
                .Concat(AllLinks(links).SelectMany(l => l.Link.Orders.Select(o => (o, (string?)l.Alias))))
                .ToList();
            return orders.Count > 0 ? Order(rows, orders) : rows;
        }

        /// <summary>Any query the service accepts, as a QueryExpression.</summary>
        public static QueryExpression ToQueryExpression(QueryBase query)
        {
            switch (query)
            {
                case QueryExpression expression: return expression;
                case QueryByAttribute byAttribute: return FromQueryByAttribute(byAttribute);
                case FetchExpression fetch: return FetchXmlConverter.Convert(fetch.Query);
                default: throw new NotSupportedException($"The in-memory organization does not support the query type {query?.GetType().FullName}.");
            }
        }

        public static QueryExpression FromQueryByAttribute(QueryByAttribute query)
        {
            if (query.Attributes.Count != query.Values.Count)
            {
                throw Faults.InvalidArgument("QueryByAttribute needs as many Values as Attributes.");
            }

            var expression = new QueryExpression(query.EntityName)
            {
                ColumnSet = query.ColumnSet ?? new ColumnSet(),
                TopCount = query.TopCount,
                PageInfo = query.PageInfo,
            };
            for (var i = 0; i < query.Attributes.Count; i++)
            {
                expression.Criteria.AddCondition(query.Attributes[i], query.Values[i] == null ? ConditionOperator.Null : ConditionOperator.Equal, query.Values[i] == null ? Array.Empty<object>() : new[] { query.Values[i] });
            }

            foreach (var order in query.Orders)
            {
                expression.Orders.Add(order);
            }

            return expression;
        }

        // ---------------------------------------------------------------- links

        private List<LinkPlan> PlanLinks(QueryExpression query)
        {
            if (query.LinkEntities.Count == 0)
            {
                return NoLinks;
            }

            var aliasCounter = new Dictionary<string, int>(StringComparer.Ordinal);
            return query.LinkEntities.Select(l => Plan(l, null, aliasCounter)).ToList();
        }

        private static readonly List<LinkPlan> NoLinks = new List<LinkPlan>();

        private LinkPlan Plan(LinkEntity link, string? parentAlias, Dictionary<string, int> aliasCounter)
        {
            var alias = link.EntityAlias;
            if (string.IsNullOrEmpty(alias))
            {
                // Dataverse names an unaliased link <linktoentityname><n>, n counting per table from 1.
                aliasCounter.TryGetValue(link.LinkToEntityName, out var n);
                aliasCounter[link.LinkToEntityName] = ++n;
                alias = link.LinkToEntityName + n.ToString(CultureInfo.InvariantCulture);
            }

            if (link.JoinOperator != JoinOperator.Inner && link.JoinOperator != JoinOperator.LeftOuter && !IsSemiJoin(link.JoinOperator))
            {
                throw new NotSupportedException($"The in-memory query engine does not support JoinOperator.{link.JoinOperator} (link to {link.LinkToEntityName}).");
            }

            var plan = new LinkPlan(link, alias!, parentAlias);
            foreach (var child in link.LinkEntities)
            {
                plan.Children.Add(Plan(child, alias, aliasCounter));
            }

            return plan;
        }

        private static IEnumerable<LinkPlan> AllLinks(IEnumerable<LinkPlan> links) =>
            links.SelectMany(l => new[] { l }.Concat(AllLinks(l.Children)));

        /// <summary>The rows joined with one link (and its child links): each row once per match, or filtered by a semi-join.</summary>
        private IEnumerable<JoinedRow> Join(IEnumerable<JoinedRow> rows, LinkPlan plan)
        {
            var link = plan.Link;
            var table = _store.GetTable(link.LinkToEntityName);
            var criteria = CompileFilter(link.LinkCriteria, null);
            Dictionary<object, List<StoredRow>>? byValue = null;
            foreach (var row in rows)
            {
                var matched = LinkedRows(row, plan, table, ref byValue).Where(m => criteria(new JoinedRow(m))).ToList();
                if (IsSemiJoin(link.JoinOperator))
                {
                    // Exists/In/Any filter the parent without multiplying it; NotAny keeps parents with no match.
                    if (link.JoinOperator == JoinOperator.NotAny ? matched.Count == 0 : matched.Count > 0)
                    {
                        yield return row;
                    }

                    continue;
                }

                if (matched.Count == 0 && link.JoinOperator != JoinOperator.LeftOuter)
                {
                    continue;
                }

                foreach (var result in Expand(row, plan, matched))
                {
                    yield return result;
                }
            }
        }

        /// <summary>The rows of the linked table whose "to" column equals the parent row's "from" column, as the reader sees them.</summary>
        private List<StoredRow> LinkedRows(JoinedRow row, LinkPlan plan, Table table, ref Dictionary<object, List<StoredRow>>? byValue)
        {
            var link = plan.Link;
            var matches = new List<StoredRow>();
            object? fromValue = null;
            if (row.RowFor(plan.ParentAlias)?.TryGetValue(link.LinkFromAttributeName, out fromValue) != true)
            {
                return matches;
            }

            if (link.LinkToAttributeName == table.PrimaryIdAttribute)
            {
                if (ValueSemantics.Normalize(fromValue) is Guid id && table.TryGetVisible(id, _reader, out var linked))
                {
                    matches.Add(linked);
                }

                return matches;
            }

            byValue ??= VisibleByValue(table, link.LinkToAttributeName);
            if (byValue.TryGetValue(ValueSemantics.Normalize(fromValue)!, out var found))
            {
                matches.AddRange(found);
            }

            return matches;
        }

        /// <summary>The row once per matched linked row (once with null for an unmatched outer link), joined with the child links.</summary>
        private IEnumerable<JoinedRow> Expand(JoinedRow row, LinkPlan plan, List<StoredRow> matched)
        {
            IEnumerable<JoinedRow> expanded = matched.Count == 0
                ? new[] { row.With(plan.Alias, null) }
                : matched.Select(m => row.With(plan.Alias, m));
            foreach (var child in plan.Children)
            {
                expanded = Join(expanded.ToList(), child);
            }

            return expanded;
        }

        /// <summary>The visible rows of a linked table by the (normalized) value of the column the link goes to.</summary>
        private Dictionary<object, List<StoredRow>> VisibleByValue(Table table, string attribute)
        {
            var byValue = new Dictionary<object, List<StoredRow>>(IndexedValueComparer.Instance);
            foreach (var row in table.Visible(table.Rows.Values, _reader))
            {
                if (!row.TryGetValue(attribute, out var value))
                {
                    continue;
                }

                var key = ValueSemantics.Normalize(value)!;
                if (!byValue.TryGetValue(key, out var list))
                {
                    list = new List<StoredRow>();
                    byValue.Add(key, list);
                }

                list.Add(row);
            }

            return byValue;
        }

        private static bool IsSemiJoin(JoinOperator join) =>
            join == JoinOperator.Exists || join == JoinOperator.In || join == JoinOperator.Any || join == JoinOperator.NotAny;

        // ---------------------------------------------------------------- candidates

        /// <summary>
        /// The rows that can match, as the reader sees them: by the primary id, a whole alternate key or an equality
        /// index on another column when the top-level filter pins one, else every row. The filter still runs on each.
        /// </summary>
        private IEnumerable<StoredRow> Candidates(Table table, FilterExpression? criteria)
        {
            var visible = table.Visible(NewestCandidates(table, criteria), _reader);
            return _readable == null ? visible : visible.Where(_readable);
        }

        private static IEnumerable<StoredRow> NewestCandidates(Table table, FilterExpression? criteria)
        {
            if (criteria == null || !(criteria.FilterOperator == LogicalOperator.And || criteria.Conditions.Count + criteria.Filters.Count == 1))
            {
                return table.Rows.Values;
            }

            List<ConditionExpression>? equalities = null;
            foreach (var condition in criteria.Conditions)
            {
                if (string.IsNullOrEmpty(condition.EntityName) && !condition.CompareColumns && (condition.Operator == ConditionOperator.Equal || condition.Operator == ConditionOperator.In))
                {
                    if (condition.AttributeName == table.PrimaryIdAttribute)
                    {
                        return ById(table, condition);
                    }

                    (equalities ??= new List<ConditionExpression>()).Add(condition);
                }
            }

            if (equalities == null)
            {
                return table.Rows.Values;
            }

            return ByAlternateKey(table, equalities) ?? ByColumnIndex(table, equalities) ?? table.Rows.Values;
        }

        private static List<StoredRow> ById(Table table, ConditionExpression idCondition)
        {
            var rows = new List<StoredRow>(idCondition.Values.Count);
            foreach (var value in ValueSemantics.Flatten(idCondition.Values))
            {
                if (ValueSemantics.Coerce(value, Guid.Empty) is Guid id && table.Rows.TryGetValue(id, out var row) && !rows.Contains(row))
                {
                    rows.Add(row);
                }
            }

            return rows;
        }

        /// <summary>Equality on every column of a declared alternate key: one look-up in the key's index.</summary>
        private static IEnumerable<StoredRow>? ByAlternateKey(Table table, List<ConditionExpression> equalities)
        {
            foreach (var key in table.Keys)
            {
                if (key.Attributes.Count == 1)
                {
                    var single = SingleEquality(equalities, key.Attributes[0]);
                    if (single != null)
                    {
                        var keyValue = ValueSemantics.Normalize(single.Values[0]);
                        return keyValue != null && table.TryFindByKey(key, keyValue, out var id) ? new[] { table.Rows[id] } : Array.Empty<StoredRow>();
                    }

                    continue;
                }

                var values = new KeyValuePair<string, object>[key.Attributes.Count];
                var found = 0;
                foreach (var attribute in key.Attributes)
                {
                    var condition = SingleEquality(equalities, attribute);
                    if (condition == null)
                    {
                        break;
                    }

                    values[found++] = new KeyValuePair<string, object>(attribute, condition.Values[0]);
                }

                if (found == values.Length)
                {
                    var keyValue = Table.KeyValueOf(key, values, values.Length);
                    return keyValue != null && table.TryFindByKey(key, keyValue, out var id) ? new[] { table.Rows[id] } : Array.Empty<StoredRow>();
                }
            }

            return null;
        }

        private static ConditionExpression? SingleEquality(List<ConditionExpression> equalities, string attribute)
        {
            foreach (var condition in equalities)
            {
                if (condition.AttributeName == attribute && condition.Operator == ConditionOperator.Equal && condition.Values.Count == 1)
                {
                    return condition;
                }
            }

            return null;
        }

        /// <summary>Equality on any other column: its index is built on first use and kept through writes and rollbacks.</summary>
        private static IEnumerable<StoredRow>? ByColumnIndex(Table table, List<ConditionExpression> equalities)
        {
            foreach (var condition in equalities)
            {
                if (condition.Operator != ConditionOperator.Equal || condition.Values.Count != 1 || condition.Values[0] == null || condition.Values[0] is System.Collections.IEnumerable && !(condition.Values[0] is string))
                {
                    continue;
                }

                if (table.ColumnIndexOf(condition.AttributeName).TryFind(condition.Values[0], out var rows))
                {
                    return rows;
                }
            }

            return null;
        }

        // ---------------------------------------------------------------- order and copies out

        private static List<JoinedRow> Order(List<JoinedRow> rows, IReadOnlyList<(OrderExpression Order, string? Alias)> orders)
        {
            IOrderedEnumerable<JoinedRow>? ordered = null;
            var comparer = Comparer<object?>.Create((a, b) => ValueSemantics.Compare(a, b));
            foreach (var (order, aliasOverride) in orders)
            {
                var alias = !string.IsNullOrEmpty(order.EntityName) ? order.EntityName : aliasOverride;
                var column = new ColumnReader(alias, order.AttributeName);
                Func<JoinedRow, object?> key = column.Read;
                ordered = ordered == null
                    ? (order.OrderType == OrderType.Descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer))
                    : (order.OrderType == OrderType.Descending ? ordered.ThenByDescending(key, comparer) : ordered.ThenBy(key, comparer));
            }

            return ordered == null ? rows : ordered.ToList();
        }

        private static Entity Project(JoinedRow row, ColumnSet? columns, IReadOnlyList<LinkPlan> links, string primaryIdAttribute)
        {
            var result = ProjectRow(row.Main, columns ?? new ColumnSet(), primaryIdAttribute);
            if (links.Count == 0)
            {
                return result;
            }

            foreach (var link in AllLinks(links))
            {
                var linked = row.RowFor(link.Alias);
                var linkColumns = link.Link.Columns;
                if (linked == null || linkColumns == null || IsSemiJoin(link.Link.JoinOperator))
                {
                    continue;
                }

                var names = linkColumns.AllColumns ? linked.Attributes.Keys.ToList() : linkColumns.Columns.ToList();
                foreach (var name in names)
                {
                    if (linked.TryGetValue(name, out var value))
                    {
                        result.Attributes[link.Alias + "." + name] = new AliasedValue(link.Link.LinkToEntityName, name, ValueSemantics.CloneValue(value));
                    }
                }
            }

            return result;
        }

        /// <summary>A copy of a stored row with only the asked-for, non-null columns; the id is set both ways.</summary>
        public static Entity ProjectRow(StoredRow stored, ColumnSet columns, string primaryIdAttribute)
        {
            var result = new Entity(stored.LogicalName) { Id = stored.Id, RowVersion = stored.RowVersion };
            if (columns.AllColumns)
            {
                var names = stored.Columns.Names;
                for (var i = 0; i < stored.ValueCount; i++)
                {
                    var value = stored.RawValue(i);
                    if (value != null)
                    {
                        result.Attributes[names[i]] = ValueSemantics.CloneValue(value);
                    }
                }
            }
            else
            {
                foreach (var name in columns.Columns)
                {
                    if (name != primaryIdAttribute && stored.TryGetValue(name, out var value))
                    {
                        result.Attributes[name] = ValueSemantics.CloneValue(value);
                    }
                }
            }

            result.Attributes[primaryIdAttribute] = stored.Id;
            if (stored.FormattedValues != null)
            {
                foreach (var pair in stored.FormattedValues)
                {
                    if (result.Attributes.ContainsKey(pair.Key))
                    {
                        result.FormattedValues[pair.Key] = pair.Value;
                    }
                }
            }

            return result;
        }

        /// <summary>A copy of an entity (a pipeline image) with only the asked-for, non-null columns; the id is set both ways.</summary>
        public static Entity ProjectRow(Entity stored, ColumnSet columns, string primaryIdAttribute)
        {
            var result = new Entity(stored.LogicalName) { Id = stored.Id, RowVersion = stored.RowVersion };
            if (columns.AllColumns)
            {
                foreach (var pair in stored.Attributes)
                {
                    if (pair.Value != null)
                    {
                        result.Attributes[pair.Key] = ValueSemantics.CloneValue(pair.Value);
                    }
                }
            }
            else
            {
                foreach (var name in columns.Columns)
                {
                    if (stored.Attributes.TryGetValue(name, out var value) && value != null)
                    {
                        result.Attributes[name] = ValueSemantics.CloneValue(value);
                    }
                }
            }

            result.Attributes[primaryIdAttribute] = stored.Id;
            if (stored.FormattedValues.Count == 0)
            {
                return result;
            }

            foreach (var pair in stored.FormattedValues)
            {
                if (result.Attributes.ContainsKey(pair.Key))
                {
                    result.FormattedValues[pair.Key] = pair.Value;
                }
            }

            return result;
        }

        private sealed class ProjectionComparer : IEqualityComparer<Entity>
        {
            private readonly string _primaryIdAttribute;

            public ProjectionComparer(string primaryIdAttribute)
            {
                _primaryIdAttribute = primaryIdAttribute;
            }

            public bool Equals(Entity? x, Entity? y) => x != null && y != null && Signature(x) == Signature(y);

            public int GetHashCode(Entity obj) => Signature(obj).GetHashCode();

            // Distinct compares the selected columns; the primary key is always returned, so it only counts when asked for.
            private string Signature(Entity entity) => string.Join("|", entity.Attributes
                .Where(p => p.Key != _primaryIdAttribute)
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + ValueSemantics.IndexKey(p.Value)));
        }
    }
}
