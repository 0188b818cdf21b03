using System.Collections;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk.Query
{
    /// <summary>Base of the query kinds RetrieveMultiple accepts.</summary>
    [DataContract(Name = "QueryBase", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public abstract class QueryBase : IExtensibleDataObject
    {
        protected QueryBase()
        {
        }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    public enum LogicalOperator
    {
        And = 0,
        Or = 1,
    }

    public enum OrderType
    {
        Ascending = 0,
        Descending = 1,
    }

    public enum JoinOperator
    {
        Inner = 0,
        LeftOuter = 1,
        Natural = 2,
        MatchFirstRowUsingCrossApply = 3,
        In = 4,
        Exists = 5,
        Any = 6,
        NotAny = 7,
        All = 8,
        NotAll = 9,
    }

    /// <summary>The columns to return; <see cref="AllColumns"/> returns every column.</summary>
    [DataContract(Name = "ColumnSet", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class ColumnSet : IExtensibleDataObject
    {
        private DataCollection<string> _columns;

        public ColumnSet()
        {
        }

        public ColumnSet(bool allColumns)
        {
            AllColumns = allColumns;
        }

        public ColumnSet(params string[] columns)
        {
            Columns.AddRange(columns);
        }

        [DataMember]
        public bool AllColumns { get; set; }

        [DataMember]
        public DataCollection<string> Columns
        {
            get { return _columns ?? (_columns = new DataCollection<string>()); }
            set { _columns = value; }
        }

        public ExtensionDataObject ExtensionData { get; set; }

        public void AddColumn(string column)
        {
            Columns.Add(column);
        }

        public void AddColumns(params string[] columns)
        {
            Columns.AddRange(columns);
        }
    }

    /// <summary>One condition: attribute, operator, values.</summary>
    [DataContract(Name = "ConditionExpression", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class ConditionExpression : IExtensibleDataObject
    {
        private DataCollection<object> _values;

        public ConditionExpression()
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator)
            : this(null, attributeName, conditionOperator, false, new object[0])
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, object value)
            : this(null, attributeName, conditionOperator, false, new[] { value })
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, params object[] values)
            : this(null, attributeName, conditionOperator, false, values)
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, ICollection values)
        {
            AttributeName = attributeName;
            Operator = conditionOperator;
            if (values != null)
            {
                foreach (var value in values)
                {
                    Values.Add(value);
                }
            }
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
            : this(null, attributeName, conditionOperator, compareColumns, new[] { value })
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
            : this(null, attributeName, conditionOperator, compareColumns, values)
        {
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator)
            : this(entityName, attributeName, conditionOperator, false, new object[0])
        {
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, object value)
            : this(entityName, attributeName, conditionOperator, false, new[] { value })
        {
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, params object[] values)
            : this(entityName, attributeName, conditionOperator, false, values)
        {
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
            : this(entityName, attributeName, conditionOperator, compareColumns, new[] { value })
        {
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
        {
            EntityName = entityName;
            AttributeName = attributeName;
            Operator = conditionOperator;
            CompareColumns = compareColumns;
            if (values != null)
            {
                Values.AddRange(values);
            }
        }

        [DataMember]
        public string EntityName { get; set; }

        [DataMember]
        public string AttributeName { get; set; }

        [DataMember]
        public ConditionOperator Operator { get; set; }

        [DataMember]
        public bool CompareColumns { get; set; }

        [DataMember]
        public DataCollection<object> Values
        {
            get { return _values ?? (_values = new DataCollection<object>()); }
        }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>Conditions and nested filters joined by And or Or.</summary>
    [DataContract(Name = "FilterExpression", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class FilterExpression : IExtensibleDataObject
    {
        private DataCollection<ConditionExpression> _conditions;
        private DataCollection<FilterExpression> _filters;

        public FilterExpression()
        {
        }

        public FilterExpression(LogicalOperator filterOperator)
        {
            FilterOperator = filterOperator;
        }

        [DataMember]
        public LogicalOperator FilterOperator { get; set; }

        [DataMember]
        public DataCollection<ConditionExpression> Conditions
        {
            get { return _conditions ?? (_conditions = new DataCollection<ConditionExpression>()); }
        }

        [DataMember]
        public DataCollection<FilterExpression> Filters
        {
            get { return _filters ?? (_filters = new DataCollection<FilterExpression>()); }
        }

        [DataMember]
        public string FilterHint { get; set; }

        [DataMember]
        public bool IsQuickFindFilter { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        public void AddCondition(ConditionExpression condition)
        {
            Conditions.Add(condition);
        }

        public void AddCondition(string attributeName, ConditionOperator conditionOperator, params object[] values)
        {
            Conditions.Add(new ConditionExpression(attributeName, conditionOperator, values));
        }

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, params object[] values)
        {
            Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, values));
        }

        public void AddCondition(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
        {
            Conditions.Add(new ConditionExpression(attributeName, conditionOperator, compareColumns, value));
        }

        public void AddCondition(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
        {
            Conditions.Add(new ConditionExpression(attributeName, conditionOperator, compareColumns, values));
        }

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
        {
            Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, compareColumns, value));
        }

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
        {
            Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, compareColumns, values));
        }

        public FilterExpression AddFilter(LogicalOperator logicalOperator)
        {
            var filter = new FilterExpression(logicalOperator);
            Filters.Add(filter);
            return filter;
        }

        public void AddFilter(FilterExpression childFilter)
        {
            if (childFilter != null)
            {
                Filters.Add(childFilter);
            }
        }
    }

    /// <summary>Sort order on one attribute.</summary>
    [DataContract(Name = "OrderExpression", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class OrderExpression : IExtensibleDataObject
    {
        public OrderExpression()
        {
        }

        public OrderExpression(string attributeName, OrderType orderType)
        {
            AttributeName = attributeName;
            OrderType = orderType;
        }

        public OrderExpression(string attributeName, OrderType orderType, string alias)
            : this(attributeName, orderType)
        {
            Alias = alias;
        }

        public OrderExpression(string attributeName, OrderType orderType, string alias, string entityName)
            : this(attributeName, orderType, alias)
        {
            EntityName = entityName;
        }

        [DataMember]
        public string AttributeName { get; set; }

        [DataMember]
        public OrderType OrderType { get; set; }

        [DataMember]
        public string Alias { get; set; }

        [DataMember]
        public string EntityName { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>Which page and how many records per page.</summary>
    [DataContract(Name = "PagingInfo", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class PagingInfo : IExtensibleDataObject
    {
        [DataMember]
        public int PageNumber { get; set; }

        [DataMember]
        public int Count { get; set; }

        [DataMember]
        public string PagingCookie { get; set; }

        [DataMember]
        public bool ReturnTotalRecordCount { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>A join from one entity to another inside a query.</summary>
    [DataContract(Name = "LinkEntity", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class LinkEntity : IExtensibleDataObject
    {
        private ColumnSet _columns;
        private FilterExpression _linkCriteria;
        private DataCollection<LinkEntity> _linkEntities;
        private DataCollection<OrderExpression> _orders;

        public LinkEntity()
        {
        }

        public LinkEntity(string linkFromEntityName, string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            LinkFromEntityName = linkFromEntityName;
            LinkToEntityName = linkToEntityName;
            LinkFromAttributeName = linkFromAttributeName;
            LinkToAttributeName = linkToAttributeName;
            JoinOperator = joinOperator;
        }

        [DataMember]
        public string LinkFromAttributeName { get; set; }

        [DataMember]
        public string LinkFromEntityName { get; set; }

        [DataMember]
        public string LinkToEntityName { get; set; }

        [DataMember]
        public string LinkToAttributeName { get; set; }

        [DataMember]
        public JoinOperator JoinOperator { get; set; }

        [DataMember]
        public string EntityAlias { get; set; }

        [DataMember]
        public ColumnSet Columns
        {
            get { return _columns ?? (_columns = new ColumnSet()); }
            set { _columns = value; }
        }

        [DataMember]
        public FilterExpression LinkCriteria
        {
            get { return _linkCriteria ?? (_linkCriteria = new FilterExpression()); }
            set { _linkCriteria = value; }
        }

        [DataMember]
        public DataCollection<LinkEntity> LinkEntities
        {
            get { return _linkEntities ?? (_linkEntities = new DataCollection<LinkEntity>()); }
        }

        [DataMember]
        public DataCollection<OrderExpression> Orders
        {
            get { return _orders ?? (_orders = new DataCollection<OrderExpression>()); }
        }

        public ExtensionDataObject ExtensionData { get; set; }

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName)
        {
            return AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);
        }

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            var link = new LinkEntity(LinkToEntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
            LinkEntities.Add(link);
            return link;
        }
    }

    /// <summary>A query on one entity with criteria, links, orders and paging.</summary>
    [DataContract(Name = "QueryExpression", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class QueryExpression : QueryBase
    {
        private ColumnSet _columnSet;
        private FilterExpression _criteria;
        private PagingInfo _pageInfo;
        private DataCollection<LinkEntity> _linkEntities;
        private DataCollection<OrderExpression> _orders;

        public QueryExpression()
        {
        }

        public QueryExpression(string entityName)
        {
            EntityName = entityName;
        }

        [DataMember]
        public string EntityName { get; set; }

        [DataMember]
        public ColumnSet ColumnSet
        {
            get { return _columnSet ?? (_columnSet = new ColumnSet()); }
            set { _columnSet = value; }
        }

        [DataMember]
        public FilterExpression Criteria
        {
            get { return _criteria ?? (_criteria = new FilterExpression()); }
            set { _criteria = value; }
        }

        [DataMember]
        public PagingInfo PageInfo
        {
            get { return _pageInfo ?? (_pageInfo = new PagingInfo()); }
            set { _pageInfo = value; }
        }

        [DataMember]
        public DataCollection<LinkEntity> LinkEntities
        {
            get { return _linkEntities ?? (_linkEntities = new DataCollection<LinkEntity>()); }
        }

        [DataMember]
        public DataCollection<OrderExpression> Orders
        {
            get { return _orders ?? (_orders = new DataCollection<OrderExpression>()); }
        }

        [DataMember]
        public bool Distinct { get; set; }

        [DataMember]
        public bool NoLock { get; set; }

        [DataMember]
        public int? TopCount { get; set; }

        [DataMember]
        public string QueryHints { get; set; }

        public void AddOrder(string attributeName, OrderType orderType)
        {
            Orders.Add(new OrderExpression(attributeName, orderType));
        }

        public void AddOrder(string attributeName, OrderType orderType, string alias, string entityName)
        {
            Orders.Add(new OrderExpression(attributeName, orderType, alias, entityName));
        }

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName)
        {
            return AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);
        }

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            var link = new LinkEntity(EntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
            LinkEntities.Add(link);
            return link;
        }
    }

    /// <summary>A query by attribute equality.</summary>
    [DataContract(Name = "QueryByAttribute", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class QueryByAttribute : QueryBase
    {
        private ColumnSet _columnSet;
        private PagingInfo _pageInfo;
        private DataCollection<string> _attributes;
        private DataCollection<object> _values;
        private DataCollection<OrderExpression> _orders;

        public QueryByAttribute()
        {
        }

        public QueryByAttribute(string entityName)
        {
            EntityName = entityName;
        }

        [DataMember]
        public string EntityName { get; set; }

        [DataMember]
        public ColumnSet ColumnSet
        {
            get { return _columnSet ?? (_columnSet = new ColumnSet()); }
            set { _columnSet = value; }
        }

        [DataMember]
        public DataCollection<string> Attributes
        {
            get { return _attributes ?? (_attributes = new DataCollection<string>()); }
        }

        [DataMember]
        public DataCollection<object> Values
        {
            get { return _values ?? (_values = new DataCollection<object>()); }
        }

        [DataMember]
        public DataCollection<OrderExpression> Orders
        {
            get { return _orders ?? (_orders = new DataCollection<OrderExpression>()); }
        }

        [DataMember]
        public PagingInfo PageInfo
        {
            get { return _pageInfo ?? (_pageInfo = new PagingInfo()); }
            set { _pageInfo = value; }
        }

        [DataMember]
        public int? TopCount { get; set; }

        public void AddAttributeValue(string attributeName, object value)
        {
            Attributes.Add(attributeName);
            Values.Add(value);
        }

        public void AddOrder(string attributeName, OrderType orderType)
        {
            Orders.Add(new OrderExpression(attributeName, orderType));
        }
    }

    /// <summary>A FetchXML query.</summary>
    [DataContract(Name = "FetchExpression", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class FetchExpression : QueryBase
    {
        public FetchExpression()
        {
        }

        public FetchExpression(string query)
        {
            Query = query;
        }

        [DataMember]
        public string Query { get; set; }
    }
}
