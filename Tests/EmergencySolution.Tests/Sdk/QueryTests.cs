using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Tests.Sdk;

[TestClass]
public sealed class QueryTests
{
    [TestMethod]
    public void ConditionOperator_Values_AreTheRealNumbers()
    {
        // Callers compile these numbers in: a wrong one silently changes a query in a real org.
        Assert.AreEqual(0, (int)ConditionOperator.Equal);
        Assert.AreEqual(1, (int)ConditionOperator.NotEqual);
        Assert.AreEqual(8, (int)ConditionOperator.In);
        Assert.AreEqual(12, (int)ConditionOperator.Null);
        Assert.AreEqual(13, (int)ConditionOperator.NotNull);
        Assert.AreEqual(54, (int)ConditionOperator.BeginsWith);
        Assert.AreEqual(1, (int)JoinOperator.LeftOuter);
        Assert.AreEqual(1, (int)LogicalOperator.Or);
        Assert.AreEqual(1, (int)OrderType.Descending);
    }

    [TestMethod]
    public void QueryExpression_New_HasEmptyCriteriaColumnsAndPaging()
    {
        var query = new QueryExpression("systemuser");

        Assert.AreEqual("systemuser", query.EntityName);
        Assert.IsFalse(query.ColumnSet.AllColumns);
        Assert.AreEqual(0, query.ColumnSet.Columns.Count);
        Assert.AreEqual(LogicalOperator.And, query.Criteria.FilterOperator);
        Assert.AreEqual(0, query.Criteria.Conditions.Count);
        Assert.IsNotNull(query.PageInfo);
        Assert.IsNull(query.TopCount);
    }

    [TestMethod]
    public void QueryExpression_AddLinkAndOrder_BuildsTheTree()
    {
        var query = new QueryExpression("bookableresource") { TopCount = 5, NoLock = true };

        var link = query.AddLink("msdyn_bookableresourcecapacityprofile", "bookableresourceid", "msdyn_bookableresourceid", JoinOperator.LeftOuter);
        link.EntityAlias = "capacity";
        link.Columns.AddColumns("msdyn_capacityprofile");
        var inner = link.AddLink("msdyn_capacityprofile", "msdyn_capacityprofile", "msdyn_capacityprofileid");
        query.AddOrder("name", OrderType.Descending);

        Assert.AreEqual("bookableresource", link.LinkFromEntityName);
        Assert.AreEqual("msdyn_bookableresourcecapacityprofile", link.LinkToEntityName);
        Assert.AreEqual(JoinOperator.LeftOuter, link.JoinOperator);
        Assert.AreEqual("msdyn_bookableresourcecapacityprofile", inner.LinkFromEntityName);
        Assert.AreEqual(JoinOperator.Inner, inner.JoinOperator);
        Assert.AreEqual("name", query.Orders.Single().AttributeName);
        Assert.AreEqual(OrderType.Descending, query.Orders.Single().OrderType);
    }

    [TestMethod]
    public void FilterExpression_AddCondition_KeepsOperatorAndValues()
    {
        var filter = new FilterExpression(LogicalOperator.Or);

        filter.AddCondition("statecode", ConditionOperator.Equal, 0);
        filter.AddCondition("emc_country", ConditionOperator.In, "US", "CA");
        filter.AddCondition("link", "name", ConditionOperator.NotNull);
        var nested = filter.AddFilter(LogicalOperator.And);

        Assert.AreEqual(3, filter.Conditions.Count);
        CollectionAssert.AreEqual(new object[] { 0 }, filter.Conditions[0].Values.ToArray());
        CollectionAssert.AreEqual(new object[] { "US", "CA" }, filter.Conditions[1].Values.ToArray());
        Assert.AreEqual("link", filter.Conditions[2].EntityName);
        Assert.AreEqual(0, filter.Conditions[2].Values.Count);
        Assert.AreSame(nested, filter.Filters.Single());
    }

    [TestMethod]
    public void ConditionExpression_CollectionOfValues_AddsEachValue()
    {
        var ids = new List<Guid> { Guid.Empty, new("11111111-2222-3333-4444-555555555555") };

        var condition = new ConditionExpression("systemuserid", ConditionOperator.In, (System.Collections.ICollection)ids);

        Assert.AreEqual(2, condition.Values.Count);
        Assert.IsFalse(condition.CompareColumns);
    }

    [TestMethod]
    public void ColumnSet_Constructors_SetColumnsOrAll()
    {
        Assert.IsTrue(new ColumnSet(true).AllColumns);
        CollectionAssert.AreEqual(new[] { "a", "b" }, new ColumnSet("a", "b").Columns.ToArray());
    }

    [TestMethod]
    public void QueryByAttribute_AddAttributeValue_PairsAttributesAndValues()
    {
        var query = new QueryByAttribute("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };

        query.AddAttributeValue("emc_country", "US");
        query.AddOrder("emc_leaseexpireson", OrderType.Ascending);

        Assert.AreEqual("emc_country", query.Attributes.Single());
        Assert.AreEqual("US", query.Values.Single());
        Assert.AreEqual(1, query.Orders.Count);
    }

    [TestMethod]
    public void FetchExpression_Query_IsKept()
    {
        Assert.AreEqual("<fetch/>", new FetchExpression("<fetch/>").Query);
    }
}
