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
    /// primary id or on all columns of a declared alternate key is a hash lookup; everything else is a scan over a
    /// compiled predicate.
    /// </summary>
    internal sealed class QueryEngine
    {
        private readonly EntityStore _store;
        private StoreTransaction? _reader;
        private Func<Entity, bool>? _readable;

        public QueryEngine(EntityStore store)
        {
            _store = store;
        }

        /// <summary>One candidate result: the main row plus the row joined under each link alias (null for an unmatched outer link).</summary>
        private sealed class JoinedRow
        {
            public JoinedRow(Entity main)
            {
                Main = main;
            }

            public Entity Main { get; set; }

            public Dictionary<string, Entity?>? Links { get; set; }

            public JoinedRow With(string alias, Entity? row)
            {
                var copy = new JoinedRow(Main) { Links = Links == null ? new Dictionary<string, Entity?>(StringComparer.Ordinal) : new Dictionary<string, Entity?>(Links, StringComparer.Ordinal) };
                copy.Links[alias] = row;
                return copy;
            }

            // A condition or order may name the root table itself instead of leaving EntityName empty.
            public Entity? RowFor(string? alias) =>
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
        public EntityCollection Execute(QueryExpression query, Func<Entity, bool>? readable = null)
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
            var aliasCounter = new Dictionary<string, int>(StringComparer.Ordinal);
            var links = query.LinkEntities.Select(l => Plan(l, null, aliasCounter)).ToList();
            var predicate = CompileFilter(query.Criteria, null, table.PrimaryIdAttribute);

            var rows = new List<JoinedRow>();
            JoinedRow? scratch = null;
            foreach (var candidate in Candidates(table, query.Criteria))
            {
                if (links.Count == 0)
                {
                    // One reusable row for the test; a new one only for matches (scans stay allocation-light).
                    scratch ??= new JoinedRow(candidate);
                    scratch.Main = candidate;
                    if (predicate(scratch))
                    {
                        rows.Add(new JoinedRow(candidate));
                    }

                    continue;
                }

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

            IEnumerable<JoinedRow> ordered = rows;
            if (query.Orders.Count > 0)
            {
                ordered = Order(rows, query.Orders.Select(o => (o, (string?)(string.IsNullOrEmpty(o.EntityName) ? null : o.EntityName))).ToList());
            }
            else
            {
                var linkOrders = AllLinks(links).SelectMany(l => l.Link.Orders.Select(o => (o, (string?)l.Alias))).ToList();
                if (linkOrders.Count > 0)
                {
                    ordered = Order(rows, linkOrders);
                }
            }

            IEnumerable<Entity> projected;
            int matchCount;
            if (query.Distinct)
            {
                var distinct = ordered.Select(r => Project(r, query.ColumnSet, links, table.PrimaryIdAttribute))
                    .Distinct(new ProjectionComparer(table.PrimaryIdAttribute)).ToList();
                projected = distinct;
                matchCount = distinct.Count;
            }
            else
            {
                // Only the returned page is copied out.
                projected = ordered.Select(r => Project(r, query.ColumnSet, links, table.PrimaryIdAttribute));
                matchCount = rows.Count;
            }

            return Paging.Page(query, projected, matchCount, table.PrimaryIdAttribute);
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

        private IEnumerable<JoinedRow> Join(IEnumerable<JoinedRow> rows, LinkPlan plan)
        {
            var link = plan.Link;
            var table = _store.GetTable(link.LinkToEntityName);
            var criteria = CompileFilter(link.LinkCriteria, null, table.PrimaryIdAttribute);
            Dictionary<string, List<Entity>>? byValue = null;
            foreach (var row in rows)
            {
                var parent = row.RowFor(plan.ParentAlias);
                object? fromValue = null;
                parent?.Attributes.TryGetValue(link.LinkFromAttributeName, out fromValue);
                if (parent != null && link.LinkFromAttributeName == _store.GetTable(parent.LogicalName).PrimaryIdAttribute)
                {
                    fromValue = parent.Id;
                }

                var matches = new List<Entity>();
                if (fromValue != null)
                {
                    if (link.LinkToAttributeName == table.PrimaryIdAttribute)
                    {
                        var id = ValueSemantics.Normalize(fromValue);
                        if (id is Guid g && table.TryGetVisible(g, _reader, out var linked))
                        {
                            matches.Add(linked);
                        }
                    }
                    else
                    {
                        byValue ??= table.Visible(table.Rows.Values, _reader)
                            .Where(r => r.Attributes.ContainsKey(link.LinkToAttributeName) && r.Attributes[link.LinkToAttributeName] != null)
                            .GroupBy(r => ValueSemantics.IndexKey(r.Attributes[link.LinkToAttributeName]))
                            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
                        if (byValue.TryGetValue(ValueSemantics.IndexKey(fromValue), out var found))
                        {
                            matches.AddRange(found);
                        }
                    }
                }

                var matched = matches.Where(m => criteria(new JoinedRow(m))).ToList();
                IEnumerable<JoinedRow> expanded;
                if (IsSemiJoin(link.JoinOperator))
                {
                    // Exists/In/Any filter the parent without multiplying it; NotAny keeps parents with no match.
                    var keep = link.JoinOperator == JoinOperator.NotAny ? matched.Count == 0 : matched.Count > 0;
                    if (keep)
                    {
                        yield return row;
                    }

                    continue;
                }

                if (matched.Count == 0)
                {
                    if (link.JoinOperator == JoinOperator.LeftOuter)
                    {
                        expanded = new[] { row.With(plan.Alias, null) };
                    }
                    else
                    {
                        continue;
                    }
                }
                else
                {
                    expanded = matched.Select(m => row.With(plan.Alias, m));
                }

                foreach (var child in plan.Children)
                {
                    expanded = Join(expanded.ToList(), child);
                }

                foreach (var result in expanded)
                {
                    yield return result;
                }
            }
        }

        private static bool IsSemiJoin(JoinOperator join) =>
            join == JoinOperator.Exists || join == JoinOperator.In || join == JoinOperator.Any || join == JoinOperator.NotAny;

        /// <summary>
        /// The rows that can match, as the reader sees them: by the primary id, a whole alternate key or an equality
        /// index on another column when the top-level filter pins one, else every row. The filter still runs on each.
        /// </summary>
        private IEnumerable<Entity> Candidates(Table table, FilterExpression? criteria)
        {
            var visible = table.Visible(NewestCandidates(table, criteria), _reader);
            return _readable == null ? visible : visible.Where(_readable);
        }

        private static IEnumerable<Entity> NewestCandidates(Table table, FilterExpression? criteria)
        {
            if (criteria == null || !(criteria.FilterOperator == LogicalOperator.And || criteria.Conditions.Count + criteria.Filters.Count == 1))
            {
                return table.Rows.Values;
            }

            var equalities = criteria.Conditions
                .Where(c => string.IsNullOrEmpty(c.EntityName) && !c.CompareColumns && (c.Operator == ConditionOperator.Equal || c.Operator == ConditionOperator.In))
                .ToList();
            if (equalities.Count == 0)
            {
                return table.Rows.Values;
            }

            var idCondition = equalities.FirstOrDefault(c => c.AttributeName == table.PrimaryIdAttribute);
            if (idCondition != null)
            {
                return ValueSemantics.Flatten(idCondition.Values)
                    .Select(v => ValueSemantics.Coerce(v, Guid.Empty))
                    .OfType<Guid>()
                    .Distinct()
                    .Select(id => table.Rows.TryGetValue(id, out var row) ? row : null)
                    .Where(row => row != null)
                    .Select(row => row!)
                    .ToList();
            }

            return ByAlternateKey(table, equalities) ?? ByColumnIndex(table, equalities) ?? table.Rows.Values;
        }

        private static IEnumerable<Entity>? ByAlternateKey(Table table, List<ConditionExpression> equalities)
        {
            foreach (var key in table.Keys)
            {
                var values = new List<KeyValuePair<string, object>>();
                foreach (var attribute in key.Attributes)
                {
                    var condition = equalities.FirstOrDefault(c => c.AttributeName == attribute && c.Operator == ConditionOperator.Equal && c.Values.Count == 1);
                    if (condition == null)
                    {
                        break;
                    }

                    values.Add(new KeyValuePair<string, object>(attribute, condition.Values[0]));
                }

                if (values.Count == key.Attributes.Count)
                {
                    var keyValue = Table.KeyValueOf(key, values);
                    return keyValue != null && table.TryFindByKey(key, keyValue, out var id) ? new[] { table.Rows[id] } : Array.Empty<Entity>();
                }
            }

            return null;
        }

        /// <summary>Equality on any other column: its index is built on first use and kept through writes and rollbacks.</summary>
        private static IEnumerable<Entity>? ByColumnIndex(Table table, List<ConditionExpression> equalities)
        {
            foreach (var condition in equalities)
            {
                if (condition.Operator != ConditionOperator.Equal || condition.Values.Count != 1 || condition.Values[0] == null || condition.Values[0] is System.Collections.IEnumerable && !(condition.Values[0] is string))
                {
                    continue;
                }

                if (table.ColumnIndexOf(condition.AttributeName).TryFind(condition.Values[0], out var ids))
                {
                    var rows = new List<Entity>(ids.Count);
                    foreach (var id in ids)
                    {
                        rows.Add(table.Rows[id]);
                    }

                    return rows;
                }
            }

            return null;
        }

        private Func<JoinedRow, bool> CompileFilter(FilterExpression? filter, string? defaultAlias, string primaryIdAttribute)
        {
            if (filter == null || (filter.Conditions.Count == 0 && filter.Filters.Count == 0))
            {
                return _ => true;
            }

            var parts = filter.Conditions.Select(c => CompileCondition(c, defaultAlias, primaryIdAttribute))
                .Concat(filter.Filters.Select(f => CompileFilter(f, defaultAlias, primaryIdAttribute)))
                .ToArray();
            if (filter.FilterOperator == LogicalOperator.Or)
            {
                return row =>
                {
                    foreach (var part in parts)
                    {
                        if (part(row))
                        {
                            return true;
                        }
                    }

                    return false;
                };
            }

            return row =>
            {
                foreach (var part in parts)
                {
                    if (!part(row))
                    {
                        return false;
                    }
                }

                return true;
            };
        }

        private Func<JoinedRow, bool> CompileCondition(ConditionExpression condition, string? defaultAlias, string primaryIdAttribute)
        {
            var alias = string.IsNullOrEmpty(condition.EntityName) ? defaultAlias : condition.EntityName;
            var attribute = condition.AttributeName;
            var values = ValueSemantics.Flatten(condition.Values).ToArray();

            object? Read(JoinedRow row)
            {
                var entity = row.RowFor(alias);
                if (entity == null)
                {
                    return null;
                }

                if (entity.Attributes.TryGetValue(attribute, out var value))
                {
                    return value;
                }

                return attribute == primaryIdAttribute && alias == null ? entity.Id : null;
            }

            if (condition.CompareColumns)
            {
                var other = Convert.ToString(values.FirstOrDefault(), CultureInfo.InvariantCulture) ?? string.Empty;
                return row =>
                {
                    var left = Read(row);
                    row.RowFor(alias)!.Attributes.TryGetValue(other, out var right);
                    return Matches(condition.Operator, left, new[] { right });
                };
            }

            var op = condition.Operator;
            var patterns = PatternsOf(op, values);
            if (patterns != null)
            {
                var negated = op == ConditionOperator.NotLike || op == ConditionOperator.DoesNotBeginWith || op == ConditionOperator.DoesNotEndWith;
                return row =>
                {
                    var value = Read(row);
                    if (value == null)
                    {
                        return false;
                    }

                    var text = value as string ?? Convert.ToString(ValueSemantics.Normalize(value), CultureInfo.InvariantCulture) ?? string.Empty;
                    var any = false;
                    foreach (var pattern in patterns)
                    {
                        if (pattern.IsMatch(text))
                        {
                            any = true;
                            break;
                        }
                    }

                    return any != negated;
                };
            }

            var first = values.Length > 0 ? values[0] : null;
            switch (op)
            {
                // The hot operators get their own closures, so a scan does no per-row LINQ.
                case ConditionOperator.Equal:
                    return row => { var value = Read(row); return value != null && ValueSemantics.AreEqual(value, first); };
                case ConditionOperator.GreaterThan:
                    return row => { var value = Read(row); return value != null && ValueSemantics.Compare(value, first) > 0; };
                case ConditionOperator.LessThan:
                    return row => { var value = Read(row); return value != null && ValueSemantics.Compare(value, first) < 0; };
                case ConditionOperator.GreaterEqual:
                    return row => { var value = Read(row); return value != null && ValueSemantics.Compare(value, first) >= 0; };
                case ConditionOperator.LessEqual:
                    return row => { var value = Read(row); return value != null && ValueSemantics.Compare(value, first) <= 0; };
            }

            return row => Matches(op, Read(row), values);
        }

        private static bool Matches(ConditionOperator op, object? value, object?[] values)
        {
            switch (op)
            {
                case ConditionOperator.Equal:
                    return value != null && ValueSemantics.AreEqual(value, values.FirstOrDefault());
                case ConditionOperator.NotEqual:
                    // SQL: NULL <> x is not true, so rows without the value do not match.
                    return value != null && !ValueSemantics.AreEqual(value, values.FirstOrDefault());
                case ConditionOperator.In:
                    return value != null && values.Any(v => ValueSemantics.AreEqual(value, v));
                case ConditionOperator.NotIn:
                    return value != null && !values.Any(v => ValueSemantics.AreEqual(value, v));
                case ConditionOperator.Null:
                    return value == null;
                case ConditionOperator.NotNull:
                    return value != null;
                case ConditionOperator.GreaterThan:
                    return value != null && ValueSemantics.Compare(value, values.FirstOrDefault()) > 0;
                case ConditionOperator.GreaterEqual:
                    return value != null && ValueSemantics.Compare(value, values.FirstOrDefault()) >= 0;
                case ConditionOperator.LessThan:
                    return value != null && ValueSemantics.Compare(value, values.FirstOrDefault()) < 0;
                case ConditionOperator.LessEqual:
                    return value != null && ValueSemantics.Compare(value, values.FirstOrDefault()) <= 0;
                case ConditionOperator.Between:
                    return value != null && values.Length == 2 && ValueSemantics.Compare(value, values[0]) >= 0 && ValueSemantics.Compare(value, values[1]) <= 0;
                case ConditionOperator.NotBetween:
                    return value != null && values.Length == 2 && (ValueSemantics.Compare(value, values[0]) < 0 || ValueSemantics.Compare(value, values[1]) > 0);
                case ConditionOperator.BeginsWith:
                    return value is string b && b.StartsWith(Convert.ToString(values.FirstOrDefault(), CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.OrdinalIgnoreCase);
                case ConditionOperator.DoesNotBeginWith:
                    return value is string nb && !nb.StartsWith(Convert.ToString(values.FirstOrDefault(), CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.OrdinalIgnoreCase);
                case ConditionOperator.EndsWith:
                    return value is string e && e.EndsWith(Convert.ToString(values.FirstOrDefault(), CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.OrdinalIgnoreCase);
                case ConditionOperator.DoesNotEndWith:
                    return value is string ne && !ne.EndsWith(Convert.ToString(values.FirstOrDefault(), CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.OrdinalIgnoreCase);
                case ConditionOperator.Contains:
                    return value is string c && c.IndexOf(Convert.ToString(values.FirstOrDefault(), CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.OrdinalIgnoreCase) >= 0;
                case ConditionOperator.DoesNotContain:
                    return value is string nc && nc.IndexOf(Convert.ToString(values.FirstOrDefault(), CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.OrdinalIgnoreCase) < 0;
                default:
                    throw new NotSupportedException($"The in-memory query engine does not support the condition operator {op}.");
            }
        }

        /// <summary>Like, BeginsWith, EndsWith and their negations all take wildcards (see <see cref="LikePattern"/>); null for other operators.</summary>
        private static LikePattern[]? PatternsOf(ConditionOperator op, object?[] values)
        {
            Func<string, LikePattern>? parse = op switch
            {
                ConditionOperator.Like or ConditionOperator.NotLike => LikePattern.Parse,
                ConditionOperator.BeginsWith or ConditionOperator.DoesNotBeginWith => LikePattern.BeginsWith,
                ConditionOperator.EndsWith or ConditionOperator.DoesNotEndWith => LikePattern.EndsWith,
                _ => null,
            };
            return parse == null ? null : values.Select(v => parse(Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty)).ToArray();
        }

        private static IEnumerable<JoinedRow> Order(List<JoinedRow> rows, IReadOnlyList<(OrderExpression Order, string? Alias)> orders)
        {
            IOrderedEnumerable<JoinedRow>? ordered = null;
            foreach (var (order, aliasOverride) in orders)
            {
                var alias = !string.IsNullOrEmpty(order.EntityName) ? order.EntityName : aliasOverride;
                Func<JoinedRow, object?> key = r =>
                {
                    var e = r.RowFor(alias);
                    return e != null && e.Attributes.TryGetValue(order.AttributeName, out var v) ? v : null;
                };
                var comparer = Comparer<object?>.Create((a, b) => ValueSemantics.Compare(a, b));
                ordered = ordered == null
                    ? (order.OrderType == OrderType.Descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer))
                    : (order.OrderType == OrderType.Descending ? ordered.ThenByDescending(key, comparer) : ordered.ThenBy(key, comparer));
            }

            return ordered ?? (IEnumerable<JoinedRow>)rows;
        }

        private static Entity Project(JoinedRow row, ColumnSet? columns, IReadOnlyList<LinkPlan> links, string primaryIdAttribute)
        {
            var result = ProjectRow(row.Main, columns ?? new ColumnSet(), primaryIdAttribute);
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
                    if (linked.Attributes.TryGetValue(name, out var value) && value != null)
                    {
                        result.Attributes[link.Alias + "." + name] = new AliasedValue(link.Link.LinkToEntityName, name, ValueSemantics.CloneValue(value));
                    }
                }
            }

            return result;
        }

        /// <summary>A copy of a stored row with only the asked-for, non-null columns; the id is set both ways.</summary>
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
