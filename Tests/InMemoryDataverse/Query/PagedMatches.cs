using System.Text;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    internal sealed partial class QueryEngine
    {
        /// <summary>
        /// The ordered matches of the last paged query, so that asking for its next pages (the same query, the next
        /// PageNumber, as Dataverse's paging is used) does not scan the table again. Kept only while nothing in the store
        /// changed and for the same reader's transaction; any other query or any write makes a new scan.
        /// </summary>
        private sealed class PagedMatches
        {
            private string? _signature;
            private long _changes;
            private StoreTransaction? _reader;
            private System.Collections.Generic.List<JoinedRow>? _matches;

            /// <summary>The matches kept for this query when it asks for a later page and nothing changed since.</summary>
            public System.Collections.Generic.List<JoinedRow>? Find(QueryExpression query, long changes, StoreTransaction? reader)
            {
                if (_matches == null || query.PageInfo.PageNumber <= 1 || changes != _changes || reader != _reader)
                {
                    return null;
                }

                return Signature(query) == _signature ? _matches : null;
            }

            public void Keep(QueryExpression query, long changes, StoreTransaction? reader, System.Collections.Generic.List<JoinedRow> matches)
            {
                if (ReferenceEquals(matches, _matches))
                {
                    return;
                }

                _signature = Signature(query);
                _changes = changes;
                _reader = reader;
                _matches = matches;
            }

            /// <summary>Everything of the query that decides its matches and their order (not the page asked for).</summary>
            private static string Signature(QueryExpression query)
            {
                var text = new StringBuilder();
                text.Append(query.EntityName).Append('|').Append(query.Distinct);
                Append(text, query.ColumnSet);
                Append(text, query.Criteria);
                foreach (var order in query.Orders)
                {
                    text.Append("|o:").Append(order.EntityName).Append('.').Append(order.AttributeName).Append(order.OrderType);
                }

                foreach (var link in query.LinkEntities)
                {
                    Append(text, link);
                }

                return text.ToString();
            }

            private static void Append(StringBuilder text, ColumnSet? columns)
            {
                text.Append("|c:");
                if (columns == null)
                {
                    return;
                }

                text.Append(columns.AllColumns);
                foreach (var column in columns.Columns)
                {
                    text.Append(',').Append(column);
                }
            }

            private static void Append(StringBuilder text, FilterExpression? filter)
            {
                text.Append("(f:");
                if (filter != null)
                {
                    text.Append(filter.FilterOperator);
                    foreach (var condition in filter.Conditions)
                    {
                        text.Append("|w:").Append(condition.EntityName).Append('.').Append(condition.AttributeName)
                            .Append(condition.Operator).Append(condition.CompareColumns);
                        foreach (var value in ValueSemantics.Flatten(condition.Values))
                        {
                            text.Append(',').Append(value?.GetType().Name).Append(':').Append(ValueSemantics.IndexKey(value));
                        }
                    }

                    foreach (var child in filter.Filters)
                    {
                        Append(text, child);
                    }
                }

                text.Append(')');
            }

            private static void Append(StringBuilder text, LinkEntity link)
            {
                text.Append("(l:").Append(link.LinkFromEntityName).Append('.').Append(link.LinkFromAttributeName)
                    .Append('>').Append(link.LinkToEntityName).Append('.').Append(link.LinkToAttributeName)
                    .Append(link.JoinOperator).Append(':').Append(link.EntityAlias);
                Append(text, link.Columns);
                Append(text, link.LinkCriteria);
                foreach (var order in link.Orders)
                {
                    text.Append("|o:").Append(order.AttributeName).Append(order.OrderType);
                }

                foreach (var child in link.LinkEntities)
                {
                    Append(text, child);
                }

                text.Append(')');
            }
        }

        /// <summary>A query that asks for a page (PageInfo with a count, a page number or a cookie) and no TopCount.</summary>
        private static bool IsPaged(QueryExpression query) =>
            query.TopCount == null && query.PageInfo != null
            && (query.PageInfo.Count > 0 || query.PageInfo.PageNumber > 0 || !string.IsNullOrEmpty(query.PageInfo.PagingCookie));
    }
}
