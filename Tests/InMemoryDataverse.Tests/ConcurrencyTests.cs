using System.Collections.Concurrent;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    /// <summary>
    /// One organization used by many threads at once, with Dataverse's transaction behaviour: a write holds its row's
    /// lock until its transaction ends (another writer waits; readers see the committed version), a cycle of waits
    /// fails one transaction as SQL's deadlock victim ("Generic SQL error", Sql Number 1205: learn.microsoft.com,
    /// troubleshoot/power-platform/power-apps/dataverse/bulk-operation-errors). These count outcomes, they do not time.
    /// </summary>
    [TestClass]
    public sealed class ConcurrencyTests
    {
        private static readonly Guid Row = new Guid("c0c00000-0000-4000-8000-000000000001");
        private static readonly Guid OtherRow = new Guid("c0c00000-0000-4000-8000-000000000002");
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

        [TestMethod]
        public void Creates_OnSixtyFourThreads_AllStoredOnceAndLoggedOnce()
        {
            var org = TestOrganization.Bare();

            Parallel.For(0, 6_400, new ParallelOptions { MaxDegreeOfParallelism = 64 }, i =>
                org.GetOrganizationService().Create(new Entity("account") { ["name"] = "account " + i, ["accountnumber"] = i.ToString("00000") }));

            var rows = org.GetRecords("account");
            Assert.AreEqual(6_400, rows.Count);
            Assert.AreEqual(6_400, rows.Select(r => r.Id).Distinct().Count());
            Assert.AreEqual(6_400, rows.Select(r => r.RowVersion).Distinct().Count(), "every version number is handed out once");
            Assert.AreEqual(6_400, org.CountRequests("Create", "account"));
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition("accountnumber", ConditionOperator.Equal, "04242");
            Assert.AreEqual("account 4242", org.GetOrganizationService().RetrieveMultiple(query).Entities.Single().GetAttributeValue<string>("name"));
        }

        [TestMethod]
        public void Queries_WhileOtherThreadsWrite_NeverThrowAndSeeOnlyCommittedRows()
        {
            var org = TestOrganization.Bare();
            var failures = new ConcurrentQueue<Exception>();

            Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 32 }, i =>
            {
                try
                {
                    var service = org.GetOrganizationService();
                    if (i % 2 == 0)
                    {
                        service.Execute(new ExecuteTransactionRequest
                        {
                            Requests = new OrganizationRequestCollection
                            {
                                new CreateRequest { Target = new Entity("contact") { ["lastname"] = "pair", ["emailaddress1"] = "a" + i } },
                                new CreateRequest { Target = new Entity("contact") { ["lastname"] = "pair", ["emailaddress1"] = "b" + i } },
                            },
                        });
                    }
                    else
                    {
                        var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
                        query.Criteria.AddCondition("lastname", ConditionOperator.Equal, "pair");
                        var seen = service.RetrieveMultiple(query).Entities.Count;
                        if (seen % 2 != 0)
                        {
                            throw new InvalidOperationException($"saw half a transaction: {seen} rows");
                        }
                    }
                }
                catch (Exception exception)
                {
                    failures.Enqueue(exception);
                }
            });

            Assert.AreEqual(0, failures.Count, string.Join(Environment.NewLine, failures.Take(3)));
            Assert.AreEqual(2_000, org.GetRecords("contact").Count);
        }

        [TestMethod]
        public void Update_OfARowAnotherTransactionWrote_WaitsUntilThatTransactionCommits()
        {
            var org = OrganizationWithRows();
            using var locked = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            HoldTransactionOpenAt(org, "WhoAmI", locked, release);

            var holder = Task.Run(() => UpdateThenWhoAmIInOneTransaction(org, Row, "holder"));
            Assert.IsTrue(locked.Wait(Patience), "the holder reached its hook");
            var waiter = Task.Run(() => org.GetOrganizationService().Update(new Entity("account", Row) { ["name"] = "waiter" }));

            Assert.IsFalse(waiter.Wait(300), "the second writer waits for the row's lock");
            Assert.AreEqual("original", org.GetOrganizationService().Retrieve("account", Row, new ColumnSet("name")).GetAttributeValue<string>("name"),
                "another reader sees the committed version, not the holder's uncommitted write");
            release.Set();
            Assert.IsTrue(holder.Wait(Patience) && waiter.Wait(Patience));
            Assert.AreEqual("waiter", org.GetRecord("account", Row)!.GetAttributeValue<string>("name"), "the waiter wrote after the holder committed");
        }

        [TestMethod]
        public void Update_OfARowAnotherTransactionWrote_GoesOnFromTheCommittedRowWhenThatTransactionRollsBack()
        {
            var org = OrganizationWithRows();
            using var locked = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            HoldTransactionOpenAt(org, "WhoAmI", locked, release);
            org.FailWhen(r => r.RequestName == "Delete", new OrganizationServiceFault { ErrorCode = ErrorCodes.IsvAborted, Message = "holder fails after its hook" });

            var holder = Task.Run(() => org.GetOrganizationService().Execute(new ExecuteTransactionRequest
            {
                Requests = new OrganizationRequestCollection
                {
                    new UpdateRequest { Target = new Entity("account", Row) { ["name"] = "holder", ["description"] = "holder" } },
                    new OrganizationRequest("WhoAmI"),
                    new DeleteRequest { Target = new EntityReference("account", OtherRow) },
                },
            }));
            Assert.IsTrue(locked.Wait(Patience));
            var waiter = Task.Run(() => org.GetOrganizationService().Update(new Entity("account", Row) { ["name"] = "waiter" }));
            Assert.IsFalse(waiter.Wait(300));
            release.Set();

            Assert.IsInstanceOfType<FaultException<OrganizationServiceFault>>(Unwrap(holder));
            Assert.IsTrue(waiter.Wait(Patience));
            var row = org.GetRecord("account", Row)!;
            Assert.AreEqual("waiter", row.GetAttributeValue<string>("name"));
            Assert.IsFalse(row.Contains("description"), "the holder's write was rolled back before the waiter wrote");
        }

        [TestMethod]
        public void TwoTransactions_EachWaitingForTheOthersRow_OneIsTheDeadlockVictimAndTheOtherCommits()
        {
            var org = OrganizationWithRows();
            using var bothLocked = new Barrier(2);
            org.FailWhen(r =>
            {
                if (r.RequestName == "WhoAmI")
                {
                    bothLocked.SignalAndWait(Patience);
                }

                return false;
            }, new OrganizationServiceFault { Message = "never raised" });

            var first = Task.Run(() => CrossUpdate(org, Row, OtherRow, "first"));
            var second = Task.Run(() => CrossUpdate(org, OtherRow, Row, "second"));
            var outcomes = new[] { Unwrap(first), Unwrap(second) };

            var victims = outcomes.OfType<FaultException<OrganizationServiceFault>>().ToList();
            Assert.AreEqual(1, victims.Count, "exactly one deadlock victim: " + string.Join(" | ", outcomes.Select(o => o?.Message ?? "ok")));
            Assert.AreEqual(ErrorCodes.SqlError, victims[0].Detail.ErrorCode);
            StringAssert.Contains(victims[0].Detail.Message, "1205");
            var winner = outcomes[0] == null ? "first" : "second";
            Assert.AreEqual(winner, org.GetRecord("account", Row)!.GetAttributeValue<string>("name"));
            Assert.AreEqual(winner, org.GetRecord("account", OtherRow)!.GetAttributeValue<string>("name"), "the victim's first write was rolled back");
        }

        [TestMethod]
        public void RowVersionCheckedUpdates_OnSixtyFourThreads_LoseNoIncrement()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("account", Row) { ["numberofemployees"] = 0 });
            var mismatches = 0;

            Parallel.For(0, 640, new ParallelOptions { MaxDegreeOfParallelism = 64 }, _ =>
            {
                var service = org.GetOrganizationService();
                while (true)
                {
                    var current = service.Retrieve("account", Row, new ColumnSet("numberofemployees"));
                    try
                    {
                        service.Execute(new UpdateRequest
                        {
                            Target = new Entity("account", Row) { ["numberofemployees"] = current.GetAttributeValue<int>("numberofemployees") + 1, RowVersion = current.RowVersion },
                            ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
                        });
                        return;
                    }
                    catch (FaultException<OrganizationServiceFault> fault) when (fault.Detail.ErrorCode == ErrorCodes.ConcurrencyVersionMismatch)
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            });

            Assert.AreEqual(640, org.GetRecord("account", Row)!.GetAttributeValue<int>("numberofemployees"));
            Console.WriteLine($"{mismatches} stale row versions refused and retried");
        }

        /// <summary>
        /// The lease design under real contention, in the harness's own terms: a start runs in one transaction (as a
        /// custom API's plugin does), keeps the agent's live lease if it has one, else reads free numbers and claims
        /// one with a row-version-checked Update, moving on when another start took it first.
        /// </summary>
        [TestMethod]
        public void ThousandLeaseStarts_OnSixtyFourThreadsFiveHundredAgentsFiveHundredNumbers_NoTwoLiveLeasesShareANumber()
        {
            const int agents = 500;
            const int numbers = 500;
            var org = TestOrganization.Bare();
            org.Initialize(Enumerable.Range(0, numbers).Select(i => new Entity("new_number", NumberId(i)) { ["new_name"] = "+1202556" + i.ToString("0000") }));
            org.Initialize(Enumerable.Range(0, agents).Select(i => new Entity("systemuser", AgentId(i)) { ["fullname"] = "Agent " + i }));
            org.AddMessageHandler("new_Start", (request, execution) => StartLease(execution!, (Guid)request["AgentId"]));
            var claimed = new ConcurrentBag<(Guid Agent, Guid Number)>();
            var retries = 0;
            // Every agent starts twice (7919 is prime to 500), in an order that puts an agent's two starts far apart.
            var starts = Enumerable.Range(0, 1_000).Select(i => AgentId((i * 7919) % agents)).ToArray();

            Parallel.For(0, starts.Length, new ParallelOptions { MaxDegreeOfParallelism = 64 }, i =>
            {
                while (true)
                {
                    try
                    {
                        var response = org.CreateOrganizationService(starts[i]).Execute(new OrganizationRequest("new_Start") { ["AgentId"] = starts[i] });
                        claimed.Add((starts[i], (Guid)response["NumberId"]));
                        return;
                    }
                    catch (FaultException<OrganizationServiceFault> fault) when (fault.Detail.ErrorCode == ErrorCodes.ConcurrencyVersionMismatch)
                    {
                        // The start's claim lost to one that committed first; its transaction rolled back whole: retry.
                        Interlocked.Increment(ref retries);
                    }
                }
            });

            Console.WriteLine($"{retries} starts lost their first claim and were retried");
            Assert.AreEqual(1_000, claimed.Count);
            var holdersByNumber = claimed.GroupBy(c => c.Number).ToDictionary(g => g.Key, g => g.Select(c => c.Agent).Distinct().ToList());
            Assert.AreEqual(0, holdersByNumber.Count(h => h.Value.Count > 1), "numbers two agents believe they hold");
            Assert.AreEqual(agents, holdersByNumber.Count, "every agent holds exactly one number");
            foreach (var row in org.GetRecords("new_number"))
            {
                var holder = row.GetAttributeValue<EntityReference>("new_agentid");
                Assert.IsNotNull(holder);
                CollectionAssert.AreEqual(new[] { holder.Id }, holdersByNumber[row.Id], "the row names the agent the start answered");
            }
        }

        private static OrganizationResponse StartLease(ExecutionInfo execution, Guid agent)
        {
            var service = execution.Organization.CreateOrganizationService(execution.UserId);
            var response = new OrganizationResponse { ResponseName = "new_Start" };
            // One start per agent at a time: writing the agent's row takes its lock until this transaction ends.
            service.Update(new Entity("systemuser", agent) { ["new_laststarton"] = execution.Organization.UtcNow });
            var own = new QueryExpression("new_number") { ColumnSet = new ColumnSet("new_name") };
            own.Criteria.AddCondition("new_agentid", ConditionOperator.Equal, agent);
            var held = service.RetrieveMultiple(own).Entities.FirstOrDefault();
            if (held != null)
            {
                response.Results["NumberId"] = held.Id;
                return response;
            }

            var free = new QueryExpression("new_number") { ColumnSet = new ColumnSet("new_name"), TopCount = 8 };
            free.Criteria.AddCondition("new_agentid", ConditionOperator.Null);
            var candidates = service.RetrieveMultiple(free).Entities;
            if (candidates.Count == 0)
            {
                throw new InvalidPluginExecutionException("no free number");
            }

            // A stale row version fails the Update and with it this whole transaction, as in Dataverse; the caller retries.
            var candidate = candidates[(int)((uint)agent.GetHashCode() % (uint)candidates.Count)];
            service.Execute(new UpdateRequest
            {
                Target = new Entity("new_number", candidate.Id) { ["new_agentid"] = new EntityReference("systemuser", agent), RowVersion = candidate.RowVersion },
                ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
            });
            response.Results["NumberId"] = candidate.Id;
            return response;
        }

        private static Guid AgentId(int i) => new Guid(i + 1, 0xa9e, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1);

        private static Guid NumberId(int i) => new Guid(i + 1, 0x1e1, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 2);

        private static InMemoryOrganization OrganizationWithRows()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("account", Row) { ["name"] = "original" }, new Entity("account", OtherRow) { ["name"] = "other" });
            return org;
        }

        /// <summary>A hook on <paramref name="messageName"/>: signals that it was reached, then waits for the test's release.</summary>
        private static void HoldTransactionOpenAt(InMemoryOrganization org, string messageName, ManualResetEventSlim reached, ManualResetEventSlim release) =>
            org.FailWhen(r =>
            {
                if (r.RequestName == messageName && !reached.IsSet)
                {
                    reached.Set();
                    release.Wait(Patience);
                }

                return false;
            }, new OrganizationServiceFault { Message = "never raised" });

        private static void UpdateThenWhoAmIInOneTransaction(InMemoryOrganization org, Guid id, string name) =>
            org.GetOrganizationService().Execute(new ExecuteTransactionRequest
            {
                Requests = new OrganizationRequestCollection
                {
                    new UpdateRequest { Target = new Entity("account", id) { ["name"] = name } },
                    new OrganizationRequest("WhoAmI"),
                },
            });

        private static void CrossUpdate(InMemoryOrganization org, Guid first, Guid second, string name) =>
            org.GetOrganizationService().Execute(new ExecuteTransactionRequest
            {
                Requests = new OrganizationRequestCollection
                {
                    new UpdateRequest { Target = new Entity("account", first) { ["name"] = name } },
                    new OrganizationRequest("WhoAmI"),
                    new UpdateRequest { Target = new Entity("account", second) { ["name"] = name } },
                },
            });

        private static Exception? Unwrap(Task task)
        {
            try
            {
                task.Wait(Patience);
                return null;
            }
            catch (AggregateException aggregate)
            {
                return aggregate.InnerException;
            }
        }
    }
}
