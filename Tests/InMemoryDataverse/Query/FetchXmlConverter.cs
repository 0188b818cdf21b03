using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>
    /// Turns the FetchXML subset the project uses into a QueryExpression: attributes/all-attributes, filters (and/or,
    /// nested), conditions with the common operators, inner/outer link-entities with aliases, orders, top, count/page,
    /// distinct. Anything else fails loudly rather than being ignored.
    /// </summary>
    internal static class FetchXmlConverter
    {
        private static readonly Dictionary<string, ConditionOperator> Operators = new Dictionary<string, ConditionOperator>(StringComparer.Ordinal)
        {
            ["eq"] = ConditionOperator.Equal,
            ["ne"] = ConditionOperator.NotEqual,
            ["neq"] = ConditionOperator.NotEqual,
            ["in"] = ConditionOperator.In,
            ["not-in"] = ConditionOperator.NotIn,
            ["null"] = ConditionOperator.Null,
            ["not-null"] = ConditionOperator.NotNull,
            ["like"] = ConditionOperator.Like,
            ["not-like"] = ConditionOperator.NotLike,
            ["begins-with"] = ConditionOperator.BeginsWith,
            ["not-begin-with"] = ConditionOperator.DoesNotBeginWith,
            ["ends-with"] = ConditionOperator.EndsWith,
            ["not-end-with"] = ConditionOperator.DoesNotEndWith,
            ["gt"] = ConditionOperator.GreaterThan,
            ["ge"] = ConditionOperator.GreaterEqual,
            ["lt"] = ConditionOperator.LessThan,
            ["le"] = ConditionOperator.LessEqual,
            ["between"] = ConditionOperator.Between,
            ["not-between"] = ConditionOperator.NotBetween,
        };

        public static QueryExpression Convert(string fetchXml)
        {
            var fetch = XElement.Parse(fetchXml);
            if (fetch.Name.LocalName != "fetch")
            {
                throw Faults.InvalidArgument("FetchXML must have a <fetch> root element.");
            }

            if ((string?)fetch.Attribute("aggregate") == "true")
            {
                throw new NotSupportedException("The in-memory organization does not support aggregate FetchXML.");
            }

            var entity = fetch.Element("entity") ?? throw Faults.InvalidArgument("FetchXML needs an <entity> element.");
            var query = new QueryExpression(Required(entity, "name"))
            {
                ColumnSet = Columns(entity),
                Distinct = (string?)fetch.Attribute("distinct") == "true",
            };
            if (fetch.Attribute("top") != null)
            {
                query.TopCount = int.Parse((string)fetch.Attribute("top")!, CultureInfo.InvariantCulture);
            }

            if (fetch.Attribute("count") != null)
            {
                query.PageInfo = new PagingInfo
                {
                    Count = int.Parse((string)fetch.Attribute("count")!, CultureInfo.InvariantCulture),
                    PageNumber = fetch.Attribute("page") != null ? int.Parse((string)fetch.Attribute("page")!, CultureInfo.InvariantCulture) : 1,
                    PagingCookie = (string?)fetch.Attribute("paging-cookie"),
                };
            }

            foreach (var filter in entity.Elements("filter"))
            {
                query.Criteria.AddFilter(Filter(filter));
            }

            foreach (var order in entity.Elements("order"))
            {
                query.Orders.Add(new OrderExpression(Required(order, "attribute"), (string?)order.Attribute("descending") == "true" ? OrderType.Descending : OrderType.Ascending));
            }

            foreach (var link in entity.Elements("link-entity"))
            {
                query.LinkEntities.Add(Link(link, query.EntityName));
            }

            foreach (var unknown in entity.Elements().Where(e => !new[] { "attribute", "all-attributes", "filter", "order", "link-entity" }.Contains(e.Name.LocalName)))
            {
                throw new NotSupportedException($"The in-memory organization does not support <{unknown.Name.LocalName}> in FetchXML.");
            }

            return query;
        }

        private static ColumnSet Columns(XElement element)
        {
            if (element.Element("all-attributes") != null)
            {
                return new ColumnSet(true);
            }

            return new ColumnSet(element.Elements("attribute").Select(a => Required(a, "name")).ToArray());
        }

        private static LinkEntity Link(XElement element, string parentEntity)
        {
            var linkType = (string?)element.Attribute("link-type") ?? "inner";
            // FetchXML's "from" is the column on the linked table, "to" the column on the parent.
            var link = new LinkEntity(parentEntity, Required(element, "name"), Required(element, "to"), Required(element, "from"), JoinOf(linkType))
            {
                EntityAlias = (string?)element.Attribute("alias"),
                Columns = Columns(element),
            };
            foreach (var filter in element.Elements("filter"))
            {
                link.LinkCriteria.AddFilter(Filter(filter));
            }

            foreach (var order in element.Elements("order"))
            {
                link.Orders.Add(new OrderExpression(Required(order, "attribute"), (string?)order.Attribute("descending") == "true" ? OrderType.Descending : OrderType.Ascending));
            }

            foreach (var child in element.Elements("link-entity"))
            {
                link.LinkEntities.Add(Link(child, link.LinkToEntityName));
            }

            return link;
        }

        private static JoinOperator JoinOf(string linkType)
        {
            switch (linkType)
            {
                case "inner": return JoinOperator.Inner;
                case "outer": return JoinOperator.LeftOuter;
                case "exists": return JoinOperator.Exists;
                case "in": return JoinOperator.In;
                case "any": return JoinOperator.Any;
                case "not any": return JoinOperator.NotAny;
                default: throw new NotSupportedException($"link-type '{linkType}' is not supported in memory.");
            }
        }

        private static FilterExpression Filter(XElement element)
        {
            var filter = new FilterExpression((string?)element.Attribute("type") == "or" ? LogicalOperator.Or : LogicalOperator.And);
            foreach (var condition in element.Elements("condition"))
            {
                var name = Required(condition, "operator");
                if (!Operators.TryGetValue(name, out var op))
                {
                    throw new NotSupportedException($"The in-memory organization does not support the FetchXML operator '{name}'.");
                }

                var values = condition.Elements("value").Select(v => (object)v.Value).ToList();
                if (condition.Attribute("value") != null)
                {
                    values.Insert(0, (string)condition.Attribute("value")!);
                }

                var expression = new ConditionExpression(Required(condition, "attribute"), op, values.ToArray());
                if (condition.Attribute("entityname") != null)
                {
                    expression.EntityName = (string)condition.Attribute("entityname")!;
                }

                filter.Conditions.Add(expression);
            }

            foreach (var child in element.Elements("filter"))
            {
                filter.AddFilter(Filter(child));
            }

            return filter;
        }

        private static string Required(XElement element, string attribute) =>
            (string?)element.Attribute(attribute) ?? throw Faults.InvalidArgument($"FetchXML <{element.Name.LocalName}> needs the '{attribute}' attribute.");
    }
}
