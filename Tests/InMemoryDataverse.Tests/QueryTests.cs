using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class QueryTests
    {
        private static readonly Guid Contoso = new Guid("acc00000-0000-4000-8000-000000000001");
        private static readonly Guid Fabrikam = new Guid("acc00000-0000-4000-8000-000000000002");
        private static readonly Guid Ann = new Guid("c0000000-0000-4000-8000-000000000001");
        private static readonly Guid Ben = new Guid("c0000000-0000-4000-8000-000000000002");
        private static readonly Guid Cal = new Guid("c0000000-0000-4000-8000-000000000003");
        private static readonly Guid Dee = new Guid("c0000000-0000-4000-8000-000000000004");

        private static InMemoryOrganization Seeded()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new[]
            {
                new Entity("account", Contoso) { ["name"] = "Contoso", ["revenue"] = new Money(100m), ["industrycode"] = new OptionSetValue(1) },
                new Entity("account", Fabrikam) { ["name"] = "Fabrikam", ["revenue"] = new Money(50m), ["industrycode"] = new OptionSetValue(2) },
                new Entity("contact", Ann) { ["lastname"] = "Adams", ["numberofchildren"] = 1, ["birthdate"] = new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Utc), ["parentcustomerid"] = new EntityReference("account", Contoso), ["statecode"] = new OptionSetValue(0) },
                new Entity("contact", Ben) { ["lastname"] = "Baker", ["numberofchildren"] = 2, ["birthdate"] = new DateTime(1990, 6, 1, 0, 0, 0, DateTimeKind.Utc), ["parentcustomerid"] = new EntityReference("account", Contoso), ["statecode"] = new OptionSetValue(0) },
                new Entity("contact", Cal) { ["lastname"] = "Carter", ["numberofchildren"] = 3, ["parentcustomerid"] = new EntityReference("account", Fabrikam), ["statecode"] = new OptionSetValue(1) },
                new Entity("contact", Dee) { ["lastname"] = "Dale", ["statecode"] = new OptionSetValue(0) },
            });
            return org;
        }

        private static Guid[] Ids(InMemoryOrganization org, QueryBase query) =>
            org.GetOrganizationService().RetrieveMultiple(query).Entities.Select(e => e.Id).ToArray();

        private static QueryExpression Contacts(params ConditionExpression[] conditions)
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            query.AddOrder("lastname", OrderType.Ascending);
            foreach (var condition in conditions)
            {
                query.Criteria.AddCondition(condition);
            }

            return query;
        }

        [TestMethod]
        public void RetrieveMultiple_StringEqual_IsCaseInsensitive()
        {
            CollectionAssert.AreEqual(new[] { Ann }, Ids(Seeded(), Contacts(new ConditionExpression("lastname", ConditionOperator.Equal, "ADAMS"))));
        }

        [TestMethod]
        public void RetrieveMultiple_NotEqual_ExcludesValueAndNulls()
        {
            CollectionAssert.AreEqual(new[] { Ben, Cal }, Ids(Seeded(), Contacts(new ConditionExpression("numberofchildren", ConditionOperator.NotEqual, 1))));
        }

        [TestMethod]
        public void RetrieveMultiple_InAndNotIn_OnGuidLookup()
        {
            var org = Seeded();
            CollectionAssert.AreEqual(new[] { Ann, Ben, Cal }, Ids(org, Contacts(new ConditionExpression("parentcustomerid", ConditionOperator.In, Contoso, Fabrikam))));
            CollectionAssert.AreEqual(new[] { Cal }, Ids(org, Contacts(new ConditionExpression("parentcustomerid", ConditionOperator.NotIn, Contoso))));
        }

        [TestMethod]
        public void RetrieveMultiple_NullAndNotNull()
        {
            var org = Seeded();
            CollectionAssert.AreEqual(new[] { Dee }, Ids(org, Contacts(new ConditionExpression("parentcustomerid", ConditionOperator.Null))));
            CollectionAssert.AreEqual(new[] { Ann, Ben, Cal }, Ids(org, Contacts(new ConditionExpression("numberofchildren", ConditionOperator.NotNull))));
        }

        [TestMethod]
        public void RetrieveMultiple_LikeNotLikeBeginsWith_CaseInsensitive()
        {
            var org = Seeded();
            CollectionAssert.AreEqual(new[] { Ben, Cal }, Ids(org, Contacts(new ConditionExpression("lastname", ConditionOperator.Like, "%ER"))));
            CollectionAssert.AreEqual(new[] { Ann, Dee }, Ids(org, Contacts(new ConditionExpression("lastname", ConditionOperator.NotLike, "%er"))));
            CollectionAssert.AreEqual(new[] { Ann }, Ids(org, Contacts(new ConditionExpression("lastname", ConditionOperator.BeginsWith, "ad"))));
        }

        [TestMethod]
        public void RetrieveMultiple_NumberComparisons()
        {
            var org = Seeded();
            CollectionAssert.AreEqual(new[] { Cal }, Ids(org, Contacts(new ConditionExpression("numberofchildren", ConditionOperator.GreaterThan, 2))));
            CollectionAssert.AreEqual(new[] { Ben, Cal }, Ids(org, Contacts(new ConditionExpression("numberofchildren", ConditionOperator.GreaterEqual, 2))));
            CollectionAssert.AreEqual(new[] { Ann }, Ids(org, Contacts(new ConditionExpression("numberofchildren", ConditionOperator.LessThan, 2))));
            CollectionAssert.AreEqual(new[] { Ann, Ben }, Ids(org, Contacts(new ConditionExpression("numberofchildren", ConditionOperator.LessEqual, 2))));
            CollectionAssert.AreEqual(new[] { Ben, Cal }, Ids(org, Contacts(new ConditionExpression("numberofchildren", ConditionOperator.Between, 2, 3))));
        }

        [TestMethod]
        public void RetrieveMultiple_DateBetween()
        {
            var from = new DateTime(1985, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var to = new DateTime(1995, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            CollectionAssert.AreEqual(new[] { Ben }, Ids(Seeded(), Contacts(new ConditionExpression("birthdate", ConditionOperator.Between, from, to))));
        }

        [TestMethod]
        public void RetrieveMultiple_OptionSetAndMoney_CompareByValue()
        {
            var org = Seeded();
            var byChoice = new QueryExpression("account");
            byChoice.Criteria.AddCondition("industrycode", ConditionOperator.Equal, 2);
            var byOptionSetValue = new QueryExpression("contact");
            byOptionSetValue.Criteria.AddCondition("statecode", ConditionOperator.Equal, new OptionSetValue(1));
            var byMoney = new QueryExpression("account");
            byMoney.Criteria.AddCondition("revenue", ConditionOperator.GreaterThan, 60m);

            CollectionAssert.AreEqual(new[] { Fabrikam }, Ids(org, byChoice));
            CollectionAssert.AreEqual(new[] { Cal }, Ids(org, byOptionSetValue));
            CollectionAssert.AreEqual(new[] { Contoso }, Ids(org, byMoney));
        }

        [TestMethod]
        public void RetrieveMultiple_EntityReferenceValue_MatchesLookup()
        {
            CollectionAssert.AreEqual(new[] { Cal }, Ids(Seeded(), Contacts(new ConditionExpression("parentcustomerid", ConditionOperator.Equal, new EntityReference("account", Fabrikam)))));
        }

        [TestMethod]
        public void RetrieveMultiple_NestedAndOrFilters()
        {
            var query = Contacts();
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
            var either = query.Criteria.AddFilter(LogicalOperator.Or);
            either.AddCondition("lastname", ConditionOperator.Equal, "Dale");
            either.AddCondition("numberofchildren", ConditionOperator.GreaterThan, 1);

            CollectionAssert.AreEqual(new[] { Ben, Dee }, Ids(Seeded(), query));
        }

        [TestMethod]
        public void RetrieveMultiple_InnerLinkWithAlias_ReturnsAliasedValues()
        {
            var query = Contacts();
            var link = query.AddLink("account", "parentcustomerid", "accountid");
            link.EntityAlias = "acct";
            link.Columns = new ColumnSet("name");
            link.LinkCriteria.AddCondition("name", ConditionOperator.Equal, "Contoso");

            var rows = Seeded().GetOrganizationService().RetrieveMultiple(query).Entities;

            CollectionAssert.AreEqual(new[] { Ann, Ben }, rows.Select(r => r.Id).ToArray());
            var aliased = rows[0].GetAttributeValue<AliasedValue>("acct.name");
            Assert.AreEqual("Contoso", aliased.Value);
            Assert.AreEqual("account", aliased.EntityLogicalName);
            Assert.AreEqual("name", aliased.AttributeLogicalName);
        }

        [TestMethod]
        public void RetrieveMultiple_OuterLink_KeepsRowsWithoutMatch()
        {
            var query = Contacts();
            var link = query.AddLink("account", "parentcustomerid", "accountid", JoinOperator.LeftOuter);
            link.EntityAlias = "acct";
            link.Columns = new ColumnSet("name");

            var rows = Seeded().GetOrganizationService().RetrieveMultiple(query).Entities;

            Assert.AreEqual(4, rows.Count);
            Assert.IsFalse(rows.Single(r => r.Id == Dee).Contains("acct.name"));
        }

        [TestMethod]
        public void RetrieveMultiple_OuterLinkWithNullCondition_FindsRowsWithoutChildren()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            var link = query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.LeftOuter);
            link.EntityAlias = "child";
            link.LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 0);
            query.Criteria.AddCondition("child", "contactid", ConditionOperator.Null);

            CollectionAssert.AreEqual(new[] { Fabrikam }, Ids(Seeded(), query));
        }

        [TestMethod]
        public void RetrieveMultiple_NestedLinks_ConditionOnInnerAlias()
        {
            var org = Seeded();
            org.Initialize(new Entity("systemuser", TestOrganization.Alice) { ["fullname"] = "Alice" });
            org.GetOrganizationService().Update(new Entity("account", Contoso) { ["primarycontactid"] = new EntityReference("contact", Ann) });
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            var account = query.AddLink("account", "parentcustomerid", "accountid");
            account.EntityAlias = "a";
            var primary = account.AddLink("contact", "primarycontactid", "contactid");
            primary.EntityAlias = "p";
            primary.Columns = new ColumnSet("lastname");
            query.Criteria.AddCondition("p", "lastname", ConditionOperator.Equal, "Adams");
            query.AddOrder("lastname", OrderType.Descending);

            var rows = org.GetOrganizationService().RetrieveMultiple(query).Entities;

            CollectionAssert.AreEqual(new[] { Ben, Ann }, rows.Select(r => r.Id).ToArray());
            Assert.AreEqual("Adams", rows[0].GetAttributeValue<AliasedValue>("p.lastname").Value);
        }

        [TestMethod]
        public void RetrieveMultiple_UnaliasedLink_NamedAfterTableAndNumber()
        {
            var query = Contacts(new ConditionExpression("lastname", ConditionOperator.Equal, "Adams"));
            query.AddLink("account", "parentcustomerid", "accountid").Columns = new ColumnSet("name");

            var row = Seeded().GetOrganizationService().RetrieveMultiple(query).Entities.Single();

            Assert.AreEqual("Contoso", row.GetAttributeValue<AliasedValue>("account1.name").Value);
        }

        [TestMethod]
        public void RetrieveMultiple_OrdersTopCountDistinct()
        {
            var org = Seeded();
            var top = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), TopCount = 2 };
            top.AddOrder("numberofchildren", OrderType.Descending);
            var distinct = new QueryExpression("contact") { ColumnSet = new ColumnSet("statecode"), Distinct = true };

            CollectionAssert.AreEqual(new[] { Cal, Ben }, Ids(org, top));
            Assert.AreEqual(2, org.GetOrganizationService().RetrieveMultiple(distinct).Entities.Count);
        }

        [TestMethod]
        public void RetrieveMultiple_Paging_MoreRecordsUntilLastPage()
        {
            var org = Seeded();
            var query = Contacts();
            query.PageInfo = new PagingInfo { Count = 3, PageNumber = 1 };
            var first = org.GetOrganizationService().RetrieveMultiple(query);
            query.PageInfo = new PagingInfo { Count = 3, PageNumber = 2, PagingCookie = first.PagingCookie };
            var second = org.GetOrganizationService().RetrieveMultiple(query);

            CollectionAssert.AreEqual(new[] { Ann, Ben, Cal }, first.Entities.Select(e => e.Id).ToArray());
            Assert.IsTrue(first.MoreRecords);
            CollectionAssert.AreEqual(new[] { Dee }, second.Entities.Select(e => e.Id).ToArray());
            Assert.IsFalse(second.MoreRecords);
        }

        [TestMethod]
        public void RetrieveMultiple_QueryByAttribute()
        {
            var query = new QueryByAttribute("contact") { ColumnSet = new ColumnSet("lastname") };
            query.AddAttributeValue("statecode", 0);
            query.AddAttributeValue("parentcustomerid", Contoso);
            query.AddOrder("lastname", OrderType.Descending);

            CollectionAssert.AreEqual(new[] { Ben, Ann }, Ids(Seeded(), query));
        }

        [TestMethod]
        public void RetrieveMultiple_FetchXmlWithFilterLinkOrderAndTop()
        {
            const string fetch = @"<fetch top='5'>
  <entity name='contact'>
    <attribute name='lastname' />
    <filter type='and'>
      <condition attribute='statecode' operator='eq' value='0' />
      <filter type='or'>
        <condition attribute='numberofchildren' operator='ge' value='2' />
        <condition attribute='lastname' operator='like' value='ad%' />
      </filter>
    </filter>
    <link-entity name='account' from='accountid' to='parentcustomerid' alias='acct' link-type='inner'>
      <attribute name='name' />
      <filter><condition attribute='name' operator='in'><value>Contoso</value><value>Other</value></condition></filter>
    </link-entity>
    <order attribute='lastname' descending='true' />
  </entity>
</fetch>";
            var rows = Seeded().GetOrganizationService().RetrieveMultiple(new FetchExpression(fetch)).Entities;

            CollectionAssert.AreEqual(new[] { Ben, Ann }, rows.Select(r => r.Id).ToArray());
            Assert.AreEqual("Contoso", rows[0].GetAttributeValue<AliasedValue>("acct.name").Value);
        }

        [TestMethod]
        public void RetrieveMultiple_FetchXmlGuidAndNullConditions()
        {
            var fetch = $"<fetch><entity name='contact'><all-attributes /><filter><condition attribute='parentcustomerid' operator='eq' value='{Fabrikam}' /><condition attribute='birthdate' operator='null' /></filter></entity></fetch>";

            CollectionAssert.AreEqual(new[] { Cal }, Ids(Seeded(), new FetchExpression(fetch)));
        }

        [TestMethod]
        public void RetrieveMultiple_ConditionNamingRootTable_AppliesToRootRows()
        {
            var query = Contacts(new ConditionExpression("contact", "lastname", ConditionOperator.Equal, "Carter"));

            CollectionAssert.AreEqual(new[] { Cal }, Ids(Seeded(), query));
        }

        [TestMethod]
        public void RetrieveMultiple_ExistsLink_FiltersParentsWithoutDuplicates()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            var link = query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.Exists);
            link.LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 0);

            CollectionAssert.AreEqual(new[] { Contoso }, Ids(Seeded(), query));
        }

        [TestMethod]
        public void RetrieveMultiple_NotAnyLink_KeepsParentsWithoutMatch()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            var link = query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.NotAny);
            link.LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 0);

            CollectionAssert.AreEqual(new[] { Fabrikam }, Ids(Seeded(), query));
        }

        [TestMethod]
        public void RetrieveMultiple_FetchXmlExistsLink_FiltersParents()
        {
            const string fetch = "<fetch><entity name='account'><attribute name='name' /><link-entity name='contact' from='parentcustomerid' to='accountid' link-type='exists'><filter><condition attribute='numberofchildren' operator='eq' value='3' /></filter></link-entity></entity></fetch>";

            CollectionAssert.AreEqual(new[] { Fabrikam }, Ids(Seeded(), new FetchExpression(fetch)));
        }

        [TestMethod]
        public void RetrieveMultiple_UnsupportedJoinOperator_NotSupported()
        {
            var query = new QueryExpression("account");
            query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.All);

            Assert.ThrowsExactly<NotSupportedException>(() => Seeded().GetOrganizationService().RetrieveMultiple(query));
        }

        [TestMethod]
        public void RetrieveMultiple_PrimaryIdEquality_UsesIndexAndFindsRow()
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            query.Criteria.AddCondition("contactid", ConditionOperator.Equal, Cal);
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 1);

            CollectionAssert.AreEqual(new[] { Cal }, Ids(Seeded(), query));
        }
    }
}
