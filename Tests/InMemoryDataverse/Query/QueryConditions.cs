using System;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    internal sealed partial class QueryEngine
    {
        /// <summary>A filter as one test of a candidate: its conditions and nested filters, joined by And or Or.</summary>
        private static Func<JoinedRow, bool> CompileFilter(FilterExpression? filter, string? defaultAlias)
        {
            if (filter == null || (filter.Conditions.Count == 0 && filter.Filters.Count == 0))
            {
                return _ => true;
            }

            if (filter.Conditions.Count == 1 && filter.Filters.Count == 0)
            {
                return CompileCondition(filter.Conditions[0], defaultAlias);
            }

            var parts = new Func<JoinedRow, bool>[filter.Conditions.Count + filter.Filters.Count];
            for (var i = 0; i < filter.Conditions.Count; i++)
            {
                parts[i] = CompileCondition(filter.Conditions[i], defaultAlias);
            }

            for (var i = 0; i < filter.Filters.Count; i++)
            {
                parts[filter.Conditions.Count + i] = CompileFilter(filter.Filters[i], defaultAlias);
            }

            if (parts.Length == 1)
            {
                return parts[0];
            }

            return filter.FilterOperator == LogicalOperator.Or ? AnyOf(parts) : AllOf(parts);
        }

        private static Func<JoinedRow, bool> AnyOf(Func<JoinedRow, bool>[] parts) => row =>
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

        private static Func<JoinedRow, bool> AllOf(Func<JoinedRow, bool>[] parts) => row =>
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

        /// <summary>One condition as a test: column comparisons, LIKE-style patterns, the hot operators, then the rest.</summary>
        private static Func<JoinedRow, bool> CompileCondition(ConditionExpression condition, string? defaultAlias)
        {
            var alias = string.IsNullOrEmpty(condition.EntityName) ? defaultAlias : condition.EntityName;
            var column = new ColumnReader(alias, condition.AttributeName);
            var values = ValuesOf(condition);
            if (condition.CompareColumns)
            {
                return CompareColumns(condition.Operator, column, values);
            }

            var op = condition.Operator;
            var patterns = PatternsOf(op, values);
            if (patterns != null)
            {
                var negated = op == ConditionOperator.NotLike || op == ConditionOperator.DoesNotBeginWith || op == ConditionOperator.DoesNotEndWith;
                return row => MatchesAnyPattern(column.Read(row), patterns, negated);
            }

            var first = values.Length > 0 ? values[0] : null;
            switch (op)
            {
                // The hot operators get their own closures, so a scan does no per-row LINQ.
                case ConditionOperator.Equal:
                    return row => { var value = column.Read(row); return value != null && ValueSemantics.AreEqual(value, first); };
                case ConditionOperator.GreaterThan:
                    return row => { var value = column.Read(row); return value != null && ValueSemantics.Compare(value, first) > 0; };
                case ConditionOperator.LessThan:
                    return row => { var value = column.Read(row); return value != null && ValueSemantics.Compare(value, first) < 0; };
                case ConditionOperator.GreaterEqual:
                    return row => { var value = column.Read(row); return value != null && ValueSemantics.Compare(value, first) >= 0; };
                case ConditionOperator.LessEqual:
                    return row => { var value = column.Read(row); return value != null && ValueSemantics.Compare(value, first) <= 0; };
            }

            return row => Matches(op, column.Read(row), values);
        }

        /// <summary>The condition's values, a list given as one value spread out (as the SDK's params arrays can arrive).</summary>
        private static object?[] ValuesOf(ConditionExpression condition)
        {
            var values = new object?[condition.Values.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var value = condition.Values[i];
                if (value is System.Collections.IEnumerable && !(value is string))
                {
                    return ValueSemantics.Flatten(condition.Values).ToArray();
                }

                values[i] = value;
            }

            return values;
        }

        /// <summary>A condition that compares two columns of the same row (ConditionExpression.CompareColumns).</summary>
        private static Func<JoinedRow, bool> CompareColumns(ConditionOperator op, ColumnReader column, object?[] values)
        {
            var other = new ColumnReader(column.Alias, Convert.ToString(values.FirstOrDefault(), CultureInfo.InvariantCulture) ?? string.Empty);
            return row => Matches(op, column.Read(row), new[] { other.Read(row) });
        }

        private static bool MatchesAnyPattern(object? value, LikePattern[] patterns, bool negated)
        {
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

        /// <summary>
        /// Reads one column of the row under an alias. All rows under one alias come from one table, so the column's
        /// ordinal is looked up once per table, not per row.
        /// </summary>
        private sealed class ColumnReader
        {
            private readonly string _attribute;
            private TableColumns? _columns;
            private int _ordinal;

            public ColumnReader(string? alias, string attribute)
            {
                Alias = alias;
                _attribute = attribute;
            }

            public string? Alias { get; }

            public object? Read(JoinedRow row)
            {
                var stored = row.RowFor(Alias);
                if (stored == null)
                {
                    return null;
                }

                if (!ReferenceEquals(stored.Columns, _columns))
                {
                    _columns = stored.Columns;
                    _ordinal = _columns.OrdinalOf(_attribute);
                }

                // A column no row had when the ordinal was looked up may have been added since (by a later write).
                return _ordinal == TableColumns.Absent ? stored.Attributes.TryGetValue(_attribute, out var added) ? added : null : stored.ValueAt(_ordinal);
            }
        }
    }
}
