using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    /// <summary>
    /// Batch faults and query limits read from Microsoft's documentation; each test names its page (on learn.microsoft.com).
    /// </summary>
    [TestClass]
    public sealed class DocumentedBatchAndQueryLimitTests
    {
        private static readonly Guid First = new Guid("d0c00000-0000-4000-8000-0000000000e1");
        private static readonly Guid Second = new Guid("d0c00000-0000-4000-8000-0000000000e2");

        // ---------------------------------------------------------------- power-apps/developer/data-platform/org-service/use-executetransaction

        /// <summary>
        /// "Should any one of the requests fail and the transaction is rolled back, any data changes completed during the
        /// transaction are undone. In addition, a ExecuteTransactionFault is returned identifying the index into the
        /// request collection of the request message that caused the fault." The page's sample casts
        /// FaultException&lt;OrganizationServiceFault&gt;.Detail to ExecuteTransactionFault and reads FaultedRequestIndex.
        /// </summary>
        [TestMethod]
        public void ExecuteTransaction_ARequestFails_ExecuteTransactionFaultWithItsIndexAndNothingSaved()
        {
            var org = TestOrganization.Bare();
            var requests = new OrganizationRequestCollection
            {
                new CreateRequest { Target = new Entity("account", First) },
                new CreateRequest { Target = new Entity("account", Second) },
                new UpdateRequest { Target = new Entity("account", Guid.NewGuid()) { ["name"] = "missing" } },
                new CreateRequest { Target = new Entity("account") },
            };

            var thrown = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new ExecuteTransactionRequest { Requests = requests }));

            var fault = thrown.Detail as ExecuteTransactionFault;
            Assert.IsNotNull(fault, "the Detail is an ExecuteTransactionFault");
            Assert.AreEqual(2, fault.FaultedRequestIndex, "the Update of a missing row is the third request");
            Assert.AreEqual(ErrorCodes.ObjectDoesNotExist, fault.ErrorCode, "the failed request's own error code");
            StringAssert.Contains(fault.Message, "Does Not Exist");
            Assert.IsNull(org.GetRecord("account", First));
            Assert.IsNull(org.GetRecord("account", Second));
            Assert.AreEqual(0, org.GetRecords("account").Count);
        }

        /// <summary>"An ExecuteTransactionRequest instance may not contain a ExecuteMultipleRequest or ExecuteTransactionRequest": the nested one is the faulted index.</summary>
        [TestMethod]
        public void ExecuteTransaction_ContainingABatch_FaultsAtThatIndex()
        {
            var org = TestOrganization.Bare();
            var requests = new OrganizationRequestCollection
            {
                new CreateRequest { Target = new Entity("account", First) },
                new ExecuteMultipleRequest { Requests = new OrganizationRequestCollection(), Settings = new ExecuteMultipleSettings() },
            };

            var thrown = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new ExecuteTransactionRequest { Requests = requests }));

            Assert.AreEqual(1, ((ExecuteTransactionFault)thrown.Detail).FaultedRequestIndex);
            Assert.IsNull(org.GetRecord("account", First));
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/org-service/queryexpression/page-results

        /// <summary>
        /// "A paging cookie tells Dataverse the previous page. With this paging cookie data, Dataverse can start with the
        /// next record after the last one on the preceding page" (Ordering and paging): a row deleted from page 1 does
        /// not make page 2 skip a row, as page-number paging would.
        /// </summary>
        [TestMethod]
        public void PagingCookie_GivenBack_NextPageStartsAfterTheCookiesLastRow()
        {
            var org = NineAccounts();
            var service = org.GetOrganizationService();
            var query = ByName(pageSize: 3);
            var first = service.RetrieveMultiple(query);
            service.Delete("account", first.Entities[1].Id);

            query.PageInfo.PageNumber = 2;
            var byNumber = Names(service.RetrieveMultiple(query));
            query.PageInfo.PagingCookie = first.PagingCookie;
            var byCookie = Names(service.RetrieveMultiple(query));

            CollectionAssert.AreEqual(new[] { "a0", "a1", "a2" }, Names(first));
            CollectionAssert.AreEqual(new[] { "a4", "a5", "a6" }, byNumber, "page-number paging skips a3 once a1 is gone");
            CollectionAssert.AreEqual(new[] { "a3", "a4", "a5" }, byCookie, "the cookie's page continues after a2");
        }

        /// <summary>The cookie carries "data about the first and last record": the order columns' values, then the primary key (the documented example's shape).</summary>
        [TestMethod]
        public void PagingCookie_Shape_OrderColumnsThenThePrimaryKeyWithLastAndFirst()
        {
            var org = NineAccounts();

            var first = org.GetOrganizationService().RetrieveMultiple(ByName(pageSize: 3));

            var cookie = System.Xml.Linq.XElement.Parse(first.PagingCookie);
            Assert.AreEqual("1", (string?)cookie.Attribute("page"));
            CollectionAssert.AreEqual(new[] { "name", "accountid" }, cookie.Elements().Select(e => e.Name.LocalName).ToArray());
            Assert.AreEqual("a2", (string?)cookie.Element("name")!.Attribute("last"));
            Assert.AreEqual("a0", (string?)cookie.Element("name")!.Attribute("first"));
            Assert.AreEqual(first.Entities[2].Id, Guid.Parse((string)cookie.Element("accountid")!.Attribute("last")!));
        }

        /// <summary>"If you request nonconsecutive pages, the paging cookie value is ignored."</summary>
        [TestMethod]
        public void PagingCookie_ForANonConsecutivePage_Ignored()
        {
            var org = NineAccounts();
            var service = org.GetOrganizationService();
            var query = ByName(pageSize: 3);
            var first = service.RetrieveMultiple(query);

            query.PageInfo.PageNumber = 3;
            query.PageInfo.PagingCookie = first.PagingCookie;

            CollectionAssert.AreEqual(new[] { "a6", "a7", "a8" }, Names(service.RetrieveMultiple(query)));
        }

        /// <summary>"Queries sorted using a LinkEntity column may not support paging cookies ... no paging cookie value is returned" (simple paging then).</summary>
        [TestMethod]
        public void PagingCookie_QueryOrderedByALinkedColumn_NoneReturned()
        {
            var org = NineAccounts();
            var query = ByName(pageSize: 3);
            var parent = query.AddLink("account", "parentaccountid", "accountid", JoinOperator.LeftOuter);
            parent.EntityAlias = "parent";
            parent.Orders.Add(new OrderExpression("name", OrderType.Ascending));

            var page = org.GetOrganizationService().RetrieveMultiple(query);

            Assert.IsTrue(page.MoreRecords);
            Assert.IsNull(page.PagingCookie);
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/org-service/queryexpression/order-rows

        /// <summary>"Dataverse always orders columns specified by LinkEntity.Orders after QueryExpression.Orders."</summary>
        [TestMethod]
        public void Orders_OnALinkEntity_ApplyAfterTheQuerysOwnOrders()
        {
            var org = TestOrganization.Bare();
            Guid Parent(string name) => org.GetOrganizationService().Create(new Entity("account") { ["name"] = name });
            var z = Parent("parent z");
            var y = Parent("parent y");
            var x = Parent("parent x");
            var service = org.GetOrganizationService();
            service.Create(new Entity("contact") { ["lastname"] = "b", ["parentcustomerid"] = new EntityReference("account", z) });
            service.Create(new Entity("contact") { ["lastname"] = "a", ["parentcustomerid"] = new EntityReference("account", y) });
            service.Create(new Entity("contact") { ["lastname"] = "b", ["parentcustomerid"] = new EntityReference("account", x) });
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            query.AddOrder("lastname", OrderType.Ascending);
            var link = query.AddLink("account", "parentcustomerid", "accountid");
            link.EntityAlias = "parent";
            link.Columns = new ColumnSet("name");
            link.Orders.Add(new OrderExpression("name", OrderType.Ascending));

            var rows = service.RetrieveMultiple(query).Entities;

            CollectionAssert.AreEqual(new[] { "a/parent y", "b/parent x", "b/parent z" },
                rows.Select(r => r.GetAttributeValue<string>("lastname") + "/" + r.GetAttributeValue<AliasedValue>("parent.name").Value).ToArray());
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/org-service/queryexpression/join-tables

        /// <summary>
        /// "You can add up to 15 LinkEntity instances to a query ... If you add more than 15 LinkEntity instances ... you
        /// get this runtime error: Name: TooManyLinkEntitiesInQuery, Code: 0x8004430D, Message: Number of link entities in
        /// query exceeded maximum limit." Nested links count (each adds a JOIN).
        /// </summary>
        [TestMethod]
        public void LinkEntities_MoreThan15InAQuery_TooManyLinkEntitiesInQuery()
        {
            var org = NineAccounts();
            var service = org.GetOrganizationService();

            Assert.AreEqual(9, service.RetrieveMultiple(WithLinks(15)).Entities.Count, "15 is allowed");
            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.RetrieveMultiple(WithLinks(16)));

            Assert.AreEqual(ErrorCodes.TooManyLinkEntitiesInQuery, fault.Detail.ErrorCode);
            Assert.AreEqual(unchecked((int)0x8004430D), fault.Detail.ErrorCode);
            Assert.AreEqual("Number of link entities in query exceeded maximum limit.", fault.Detail.Message);
        }

        /// <summary>A query with <paramref name="count"/> outer links: ten at the top, the rest nested under the first.</summary>
        private static QueryExpression WithLinks(int count)
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            LinkEntity? first = null;
            for (var i = 0; i < count; i++)
            {
                var link = new LinkEntity("account", "account", "parentaccountid", "accountid", JoinOperator.LeftOuter) { EntityAlias = "p" + i };
                if (first != null && i >= 10)
                {
                    first.LinkEntities.Add(link);
                }
                else
                {
                    query.LinkEntities.Add(link);
                    first ??= link;
                }
            }

            return query;
        }

        private static InMemoryOrganization NineAccounts()
        {
            var org = TestOrganization.Bare();
            org.Initialize(Enumerable.Range(0, 9).Select(i => new Entity("account", Guid.NewGuid()) { ["name"] = "a" + i }));
            return org;
        }

        private static QueryExpression ByName(int pageSize)
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = pageSize, PageNumber = 1 } };
            query.AddOrder("name", OrderType.Ascending);
            return query;
        }

        private static string[] Names(EntityCollection page) => page.Entities.Select(e => e.GetAttributeValue<string>("name")).ToArray();
    }
}
