using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>
    /// Dataverse's paging ("Page results using QueryExpression", learn.microsoft.com/power-apps/developer/data-platform/
    /// org-service/queryexpression/page-results, and its FetchXml twin): the default and maximum page size is 5,000 rows;
    /// a query that has more sets MoreRecords and returns a paging cookie with "data about the first and last record"
    /// (the order columns' values, then the primary key); given back with the next PageNumber, the cookie makes the page
    /// "start with the next record after the last one on the preceding page" (Ordering and paging), so rows deleted from
    /// earlier pages do not make later ones skip a row. A cookie for another page number is ignored ("if you request
    /// nonconsecutive pages, the paging cookie value is ignored"). A query ordered by a LinkEntity column gets no cookie
    /// and pages by number ("queries sorted using a LinkEntity column may not support paging cookies"). TopCount and
    /// paging cannot be used together.
    /// </summary>
    internal static class Paging
    {
        public const int MaxPageSize = 5_000;

        /// <summary>The page the query asks for, out of its ordered matches (only the page's rows are projected).</summary>
        public static EntityCollection Page<T>(QueryExpression query, IReadOnlyList<T> matches, Func<T, Guid> idOf, Func<T, string, object?> columnOf,
            Func<T, Entity> project, string primaryIdAttribute)
        {
            var page = query.PageInfo;
            var paged = page != null && (page.Count > 0 || page.PageNumber > 0 || !string.IsNullOrEmpty(page.PagingCookie));
            if (query.TopCount.HasValue && paged)
            {
                throw Faults.InvalidArgument("A query can contain either PageInfo or TopCount property values, not both (TopCount and paging are not compatible).");
            }

            var result = new EntityCollection { EntityName = query.EntityName };
            if (query.TopCount.HasValue)
            {
                AddRange(result, matches, 0, Math.Min(query.TopCount.Value, MaxPageSize), project);
                return result;
            }

            var pageSize = page != null && page.Count > 0 ? Math.Min(page.Count, MaxPageSize) : MaxPageSize;
            var pageNumber = page != null ? Math.Max(1, page.PageNumber) : 1;
            var cookieOrders = OrdersACookieCanCarry(query);
            var start = cookieOrders != null ? AfterCookie(page, pageNumber, matches, idOf, primaryIdAttribute) : null;
            var skip = start ?? (long)(pageNumber - 1) * pageSize;
            AddRange(result, matches, skip, pageSize, project);
            result.MoreRecords = matches.Count > skip + pageSize;
            if (result.MoreRecords && result.Entities.Count > 0 && cookieOrders != null)
            {
                result.PagingCookie = Cookie(pageNumber, cookieOrders, primaryIdAttribute, matches[(int)skip], matches[(int)skip + result.Entities.Count - 1], idOf, columnOf);
            }

            if (page != null && page.ReturnTotalRecordCount)
            {
                // The count stops at 5,000, with TotalRecordCountLimitExceeded set beyond.
                result.TotalRecordCount = Math.Min(matches.Count, MaxPageSize);
                result.TotalRecordCountLimitExceeded = matches.Count > MaxPageSize;
            }

            return result;
        }

        private static void AddRange<T>(EntityCollection result, IReadOnlyList<T> matches, long skip, int take, Func<T, Entity> project)
        {
            for (var i = skip; i < matches.Count && i < skip + take; i++)
            {
                result.Entities.Add(project(matches[(int)i]));
            }
        }

        /// <summary>The query's own order columns, or null when an order is on a linked table (no cookie then).</summary>
        private static List<string>? OrdersACookieCanCarry(QueryExpression query)
        {
            var columns = new List<string>();
            foreach (var order in query.Orders)
            {
                if (!string.IsNullOrEmpty(order.EntityName) && order.EntityName != query.EntityName)
                {
                    return null;
                }

                columns.Add(order.AttributeName);
            }

            return query.LinkEntities.Any(HasOrders) ? null : columns;
        }

        private static bool HasOrders(LinkEntity link) => link.Orders.Count > 0 || link.LinkEntities.Any(HasOrders);

        /// <summary>
        /// Where the page after the cookie's page starts: right after the cookie's last row. Null (page by number) when
        /// there is no cookie, it is for another page or table, or its last row no longer matches the query.
        /// </summary>
        private static long? AfterCookie<T>(PagingInfo? page, int pageNumber, IReadOnlyList<T> matches, Func<T, Guid> idOf, string primaryIdAttribute)
        {
            if (page == null || string.IsNullOrEmpty(page.PagingCookie) || !TryRead(page.PagingCookie, primaryIdAttribute, out var cookiePage, out var last)
                || cookiePage != pageNumber - 1)
            {
                return null;
            }

            for (var i = 0; i < matches.Count; i++)
            {
                if (idOf(matches[i]) == last)
                {
                    return i + 1;
                }
            }

            return null;
        }

        private static bool TryRead(string cookie, string primaryIdAttribute, out int page, out Guid last)
        {
            page = 0;
            last = Guid.Empty;
            try
            {
                var root = XElement.Parse(cookie);
                var key = root.Element(primaryIdAttribute);
                return root.Name.LocalName == "cookie"
                    && int.TryParse((string?)root.Attribute("page"), NumberStyles.Integer, CultureInfo.InvariantCulture, out page)
                    && key != null && Guid.TryParse((string?)key.Attribute("last"), out last);
            }
            catch (System.Xml.XmlException)
            {
                return false;
            }
        }

        /// <summary>The documented cookie shape: &lt;cookie page="n"&gt;, one element per order column, then the primary key, each with last and first.</summary>
        private static string Cookie<T>(int pageNumber, List<string> orderColumns, string primaryIdAttribute, T first, T last, Func<T, Guid> idOf, Func<T, string, object?> columnOf)
        {
            var cookie = new XElement("cookie", new XAttribute("page", pageNumber));
            foreach (var column in orderColumns.Where(c => c != primaryIdAttribute).Distinct(StringComparer.Ordinal))
            {
                cookie.Add(new XElement(column, new XAttribute("last", Text(columnOf(last, column))), new XAttribute("first", Text(columnOf(first, column)))));
            }

            cookie.Add(new XElement(primaryIdAttribute, new XAttribute("last", Braced(idOf(last))), new XAttribute("first", Braced(idOf(first)))));
            return cookie.ToString(SaveOptions.DisableFormatting);
        }

        private static string Braced(Guid id) => id.ToString("B").ToUpperInvariant();

        private static string Text(object? value) => value switch
        {
            null => string.Empty,
            Guid id => Braced(id),
            EntityReference reference => Braced(reference.Id),
            OptionSetValue option => option.Value.ToString(CultureInfo.InvariantCulture),
            Money money => money.Value.ToString(CultureInfo.InvariantCulture),
            DateTime time => time.ToString("o", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
    }
}
