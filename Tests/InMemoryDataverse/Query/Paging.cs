using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>
    /// Dataverse's paging ("Page results using QueryExpression", learn.microsoft.com/power-apps/developer/data-platform/
    /// org-service/queryexpression/page-results): the default and maximum page size is 5,000 rows; a query that has more
    /// sets MoreRecords and returns a paging cookie for the next page; TopCount and paging cannot be used together
    /// ("A query can contain either PageInfo or TopCount property values. If both are specified, an error will be thrown").
    /// </summary>
    internal static class Paging
    {
        public const int MaxPageSize = 5_000;

        public static EntityCollection Page(QueryExpression query, IEnumerable<Entity> matches, int matchCount, string primaryIdAttribute)
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
                result.Entities.AddRange(matches.Take(Math.Min(query.TopCount.Value, MaxPageSize)));
                return result;
            }

            var pageSize = page != null && page.Count > 0 ? Math.Min(page.Count, MaxPageSize) : MaxPageSize;
            var pageNumber = page != null ? Math.Max(1, page.PageNumber) : 1;
            var skip = (long)(pageNumber - 1) * pageSize;
            result.Entities.AddRange(matches.Skip((int)Math.Min(skip, int.MaxValue)).Take(pageSize));
            result.MoreRecords = matchCount > skip + pageSize;
            if (result.MoreRecords && result.Entities.Count > 0)
            {
                result.PagingCookie = Cookie(pageNumber, primaryIdAttribute, result.Entities[0].Id, result.Entities[result.Entities.Count - 1].Id);
            }

            if (page != null && page.ReturnTotalRecordCount)
            {
                // The count stops at 5,000, with TotalRecordCountLimitExceeded set beyond.
                result.TotalRecordCount = Math.Min(matchCount, MaxPageSize);
                result.TotalRecordCountLimitExceeded = matchCount > MaxPageSize;
            }

            return result;
        }

        /// <summary>The QueryExpression cookie shape: the page number and the first and last primary key of the page.</summary>
        private static string Cookie(int pageNumber, string primaryIdAttribute, Guid first, Guid last) =>
            string.Format(CultureInfo.InvariantCulture, "<cookie page=\"{0}\"><{1} last=\"{2}\" first=\"{3}\" /></cookie>",
                pageNumber, primaryIdAttribute, last.ToString("B").ToUpperInvariant(), first.ToString("B").ToUpperInvariant());
    }
}
