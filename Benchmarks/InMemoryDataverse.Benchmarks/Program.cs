using System.Diagnostics;
using System.Globalization;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Benchmarks
{
    /// <summary>
    /// Measures issue 16's figures on the harness and, where it makes sense, on a plain List&lt;Entity&gt; with linear
    /// scans (the baseline): Initialize, look-ups by id, key and any column, scans and LIKE, Retrieve by id with and
    /// without the pipeline (and its allocation), 100,000 Creates, the 20-request scenario, and growth at 10k/100k/1M rows
    /// with the managed heap (retained, and the peak while seeding). Prints the median and best wall time of several runs
    /// and the median processor time (the process's CPU time per run: on a shared, loaded machine wall time also counts
    /// the time spent waiting for a core); nothing is asserted. Every measure is warmed up first until the JIT has optimized its hot methods (see WarmUp). "--quick": fewer repetitions.
    /// Run in Release: dotnet run -c Release --project Benchmarks/InMemoryDataverse.Benchmarks -- [--quick]
    /// </summary>
    public static class Program
    {
        private const int Rows = 100_000;
        private static readonly string[] Countries = { "US", "GB", "DK", "CA", "PR" };

        public static int Main(string[] args)
        {
            var quick = args.Contains("--quick");
            var repetitions = quick ? 3 : 10;
            var lookups = quick ? 2_000 : 20_000;
            var total = Stopwatch.StartNew();
            Console.WriteLine($"InMemoryDataverse benchmark ({(quick ? "quick" : "full")}), {Rows:N0} rows, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            Console.WriteLine();

            var seed = Seed().ToList();
            var results = new List<(string Name, string Goal, double Harness, double HarnessBest, double HarnessCpu, double Baseline, string Unit)>();

            // 1. Initialize 100,000 rows.
            InMemoryOrganization? org = null;
            var init = Measure(repetitions, () =>
            {
                org = new InMemoryOrganization();
                org.LoadTables(ShippedSolutionFolder);
                org.Initialize(seed);
            });
            var (initPeak, initRetained, _, _) = ManagedHeapOf(() =>
            {
                var measured = new InMemoryOrganization();
                measured.LoadTables(ShippedSolutionFolder);
                measured.Initialize(seed);
                return measured;
            });
            List<Entity>? list = null;
            var initBaseline = Measure(repetitions, () => list = seed.Select(Clone).ToList());
            results.Add(("Initialize 100,000 rows", "<= 150 ms", init, Best[^2], Cpu[^2], initBaseline, "ms"));

            var service = org!.GetOrganizationService();
            var random = new Random(42);

            // 2a. Equality on the primary id.
            var ids = Enumerable.Range(0, lookups).Select(_ => seed[random.Next(Rows)].Id).ToArray();
            var byId = MeasurePerCall(repetitions, lookups, i =>
            {
                var query = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };
                query.Criteria.AddCondition("emc_callbacknumberid", ConditionOperator.Equal, ids[i]);
                if (service.RetrieveMultiple(query).Entities.Count != 1)
                {
                    throw new InvalidOperationException("lookup by id failed");
                }
            });
            var byIdBaseline = MeasurePerCall(quick ? 1 : 3, quick ? 50 : 200, i =>
            {
                var id = ids[i];
                if (list!.Where(e => e.Id == id).Select(Clone).Count() != 1)
                {
                    throw new InvalidOperationException("baseline lookup failed");
                }
            });
            results.Add(("Equality on primary id (RetrieveMultiple)", "<= 4 µs", byId, Best[^2], Cpu[^2], byIdBaseline, "µs"));

            // 2b. Equality on a declared alternate key.
            var numbers = Enumerable.Range(0, lookups).Select(_ => seed[random.Next(Rows)].GetAttributeValue<string>("emc_number")).ToArray();
            var byKey = MeasurePerCall(repetitions, lookups, i =>
            {
                var query = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };
                query.Criteria.AddCondition("emc_number", ConditionOperator.Equal, numbers[i]);
                if (service.RetrieveMultiple(query).Entities.Count != 1)
                {
                    throw new InvalidOperationException("lookup by key failed");
                }
            });
            var byKeyBaseline = MeasurePerCall(quick ? 1 : 3, quick ? 50 : 200, i =>
            {
                var number = numbers[i];
                if (list!.Where(e => string.Equals(e.GetAttributeValue<string>("emc_number"), number, StringComparison.OrdinalIgnoreCase)).Select(Clone).Count() != 1)
                {
                    throw new InvalidOperationException("baseline key lookup failed");
                }
            });
            results.Add(("Equality on alternate key (RetrieveMultiple)", "<= 4 µs", byKey, Best[^2], Cpu[^2], byKeyBaseline, "µs"));
            // The same look-up straight into the query engine (InMemoryOrganization.Query: no request log, no pipeline).
            var byKeyDirect = MeasurePerCall(repetitions, lookups, i =>
            {
                var query = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };
                query.Criteria.AddCondition("emc_number", ConditionOperator.Equal, numbers[i]);
                if (org.Query(query).Entities.Count != 1)
                {
                    throw new InvalidOperationException("direct lookup by key failed");
                }
            });
            results.Add(("  same look-up without the pipeline (Query)", "", byKeyDirect, Best[^1], Cpu[^1], double.NaN, "µs"));

            // 3. Full scan, two conditions (country = GB and lease expiry before a date): ~10% of rows match.
            var cutoff = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(Rows / 2);
            int matched = 0;
            var scan = Measure(repetitions, () =>
            {
                var query = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };
                query.Criteria.AddCondition("emc_countrycode", ConditionOperator.Equal, "gb");
                query.Criteria.AddCondition("emc_leaseexpireson", ConditionOperator.LessThan, cutoff);
                matched = CountAllPages(service, query);
            });
            int baselineMatched = 0;
            var scanBaseline = Measure(repetitions, () =>
            {
                baselineMatched = list!
                    .Where(e => string.Equals(e.GetAttributeValue<string>("emc_countrycode"), "gb", StringComparison.OrdinalIgnoreCase)
                        && e.GetAttributeValue<DateTime>("emc_leaseexpireson") < cutoff)
                    .Select(Clone)
                    .Count();
            });
            if (matched != baselineMatched)
            {
                throw new InvalidOperationException($"scan mismatch: {matched} vs {baselineMatched}");
            }

            results.Add(($"Scan, 2 conditions, all pages ({matched:N0} matches)", "<= 8 ms", scan, Best[^2], Cpu[^2], scanBaseline, "ms"));

            // 4. A 20-request scenario through the pipeline (steps on Create and Update), on the 100,000-row organization.
            Scenario.Register(org);
            var scenarioCount = quick ? 50 : 300;
            var scenario = MeasurePerCall(repetitions, scenarioCount, i => Scenario.Run(org, i), unitScale: 1_000.0);
            var scenarioBaseline = MeasurePerCall(repetitions, quick ? 5 : 20, i => Scenario.RunBaseline(list!, i), unitScale: 1_000.0);
            results.Add(("20-request scenario through the pipeline", "", scenario, Best[^2], Cpu[^2], scenarioBaseline, "ms"));

            // 5. Retrieve by id through the service, against the same read straight from the store (GetRecord): the
            //    difference is what the request pipeline costs when no step is registered on Retrieve.
            var plain = new InMemoryOrganization();
            plain.Initialize(seed.Take(10_000));
            var plainService = plain.GetOrganizationService();
            var columns = new ColumnSet("emc_number");
            var retrieveCalls = lookups * 5;
            var retrieve = MeasurePerCall(repetitions, retrieveCalls, i => plainService.Retrieve("emc_callbacknumber", seed[i % 10_000].Id, columns));
            var direct = MeasurePerCall(repetitions, retrieveCalls, i => plain.GetRecord("emc_callbacknumber", seed[i % 10_000].Id));
            results.Add(("Retrieve by id (service)", "<= 3 µs", retrieve, Best[^2], Cpu[^2], double.NaN, "µs"));
            results.Add(("  same row read without the pipeline (GetRecord)", "", direct, Best[^1], Cpu[^1], double.NaN, "µs"));
            var retrieveBytes = BytesPerCall(1_000, i => plainService.Retrieve("emc_callbacknumber", seed[i % 10_000].Id, columns));
            var directBytes = BytesPerCall(1_000, i => plain.GetRecord("emc_callbacknumber", seed[i % 10_000].Id));
            // GetRecord copies every column: the service's Retrieve of every column is the like-for-like comparison. The
            // RetrieveRequest that IOrganizationService.Retrieve builds (and the log and FailWhen see) is measured alone.
            var allColumns = new ColumnSet(true);
            var retrieveAllBytes = BytesPerCall(1_000, i => plainService.Retrieve("emc_callbacknumber", seed[i % 10_000].Id, allColumns));
            var requestBytes = BytesPerCall(1_000, i => GC.KeepAlive(new Microsoft.Xrm.Sdk.Messages.RetrieveRequest { Target = new EntityReference("emc_callbacknumber", seed[i % 10_000].Id), ColumnSet = columns }));

            // 6. Equality on a column that is no key (the index is built by the first query, then kept).
            var names = Enumerable.Range(0, lookups).Select(_ => seed[random.Next(Rows)].GetAttributeValue<string>("emc_name")).ToArray();
            var byColumn = MeasurePerCall(repetitions, lookups, i =>
            {
                var query = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };
                query.Criteria.AddCondition("emc_name", ConditionOperator.Equal, names[i]);
                if (service.RetrieveMultiple(query).Entities.Count != 1)
                {
                    throw new InvalidOperationException("lookup by column failed");
                }
            });
            results.Add(("Equality on a non-key column (2nd query on)", "<= 20 µs", byColumn, Best[^1], Cpu[^1], double.NaN, "µs"));

            // 7. LIKE prefix and suffix (plain string tests, no regular expression).
            var likePrefix = Measure(repetitions, () => Like(service, "Callback 1%"));
            results.Add(("LIKE 'Callback 1%' over 100,000 rows", "", likePrefix, Best[^1], Cpu[^1], double.NaN, "ms"));
            var likeSuffix = Measure(repetitions, () => Like(service, "%99"));
            results.Add(("LIKE '%99' over 100,000 rows", "", likeSuffix, Best[^1], Cpu[^1], double.NaN, "ms"));

            // 8. 100,000 Creates through the pipeline (no step registered), on a fresh organization each run.
            var creates = Measure(quick ? 1 : 3, () =>
            {
                var fresh = new InMemoryOrganization();
                var freshService = fresh.GetOrganizationService();
                foreach (var row in seed)
                {
                    freshService.Create(row);
                }
            });
            results.Add(("100,000 Creates", "<= 600 ms", creates, Best[^1], Cpu[^1], double.NaN, "ms"));

            // 9. The scenario on a fresh organization each time (organization + steps + 20 requests).
            var freshScenario = MeasurePerCall(repetitions, scenarioCount, i =>
            {
                var fresh = new InMemoryOrganization();
                fresh.Initialize(seed[i % Rows]);
                Scenario.Register(fresh);
                Scenario.Run(fresh, i % Rows);
            });
            results.Add(("20-request scenario incl. fresh organization", "<= 150 µs", freshScenario, Best[^1], Cpu[^1], double.NaN, "µs"));

            Console.WriteLine($"{"measure",-50} {"goal",-10} {"harness median",15} {"harness best",13} {"harness CPU",12} {"linear scan median",19}");
            foreach (var (name, goal, harness, harnessBest, harnessCpu, baseline, unit) in results)
            {
                Console.WriteLine($"{name,-50} {goal,-10} {Format(harness, unit),15} {Format(harnessBest, unit),13} {Format(harnessCpu, unit),12} {(double.IsNaN(baseline) ? "-" : Format(baseline, unit)),19}");
            }

            Console.WriteLine();
            Console.WriteLine($"Managed heap of Initialize 100,000 rows (goal <= 100 MiB peak): peak {initPeak:F1} MiB above the heap before, {initRetained:F1} MiB retained (sampled every millisecond; the caller's 100,000 entities not counted)");
            Console.WriteLine($"Allocated per Retrieve by id: {retrieveBytes:F0} bytes through the service (one column); every column: {retrieveAllBytes:F0} bytes through the service, {directBytes:F0} bytes without the pipeline (GetRecord: the returned copy); of the service's part, {requestBytes:F0} bytes are the RetrieveRequest that Retrieve builds");
            Console.WriteLine();
            Growth(quick);
            Console.WriteLine();
            Console.WriteLine($"Total time {total.Elapsed.TotalSeconds:F1} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
            return 0;
        }

        private static int Like(IOrganizationService service, string pattern)
        {
            var query = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };
            query.Criteria.AddCondition("emc_name", ConditionOperator.Like, pattern);
            return CountAllPages(service, query);
        }

        /// <summary>Initialize and the two-condition scan at 10k, 100k and 1M rows, with the managed heap each needs.</summary>
        private static void Growth(bool quick)
        {
            Console.WriteLine($"{"growth",-12} {"Initialize",12} {"heap retained",14} {"heap peak",10} {"scan, first page",20} {"returned",9}");
            foreach (var rows in new[] { 10_000, 100_000, 1_000_000 })
            {
                var seed = Seed(rows).ToList();
                var (peak, heap, initialize, org) = ManagedHeapOf(() =>
                {
                    var measured = new InMemoryOrganization();
                    measured.Initialize(seed);
                    return measured;
                });
                var service = org.GetOrganizationService();
                var cutoff = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(rows / 2);
                var matches = 0;
                var more = false;
                // One request: the first 5,000-row page. Every row is still tested (MoreRecords needs the whole scan).
                var scan = Measure(quick || rows == 1_000_000 ? 1 : 3, () =>
                {
                    var query = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };
                    query.Criteria.AddCondition("emc_countrycode", ConditionOperator.Equal, "gb");
                    query.Criteria.AddCondition("emc_leaseexpireson", ConditionOperator.LessThan, cutoff);
                    var page = service.RetrieveMultiple(query);
                    matches = page.Entities.Count;
                    more = page.MoreRecords;
                });
                Console.WriteLine($"{rows,-12:N0} {Format(initialize, "ms"),12} {Format(heap, "MiB"),14} {Format(peak, "MiB"),10} {Format(scan, "ms"),20} {matches,9:N0}{(more ? " (+ more pages)" : string.Empty)}");
                GC.KeepAlive(org);
            }
        }

        /// <summary>Every match, page by page (5,000 rows a page, as Dataverse), following the paging cookie.</summary>
        private static int CountAllPages(IOrganizationService service, QueryExpression query)
        {
            query.PageInfo = new PagingInfo { Count = 5_000, PageNumber = 1 };
            var count = 0;
            while (true)
            {
                var page = service.RetrieveMultiple(query);
                count += page.Entities.Count;
                if (!page.MoreRecords)
                {
                    return count;
                }

                query.PageInfo.PageNumber++;
                query.PageInfo.PagingCookie = page.PagingCookie;
            }
        }

        /// <summary>Bytes the calling thread allocates per call.</summary>
        private static double BytesPerCall(int calls, Action<int> call)
        {
            call(0);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < calls; i++)
            {
                call(i);
            }

            return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
        }

        /// <summary>The repository's SolutionPackage/src: the benchmark declares the shipped tables' keys from it.</summary>
        private static string ShippedSolutionFolder
        {
            get
            {
                var directory = new DirectoryInfo(AppContext.BaseDirectory);
                while (directory != null && !File.Exists(Path.Combine(directory.FullName, "EmergencySolution.sln")))
                {
                    directory = directory.Parent;
                }

                return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("EmergencySolution.sln was not found above " + AppContext.BaseDirectory), "SolutionPackage", "src");
            }
        }

        private static string Format(double value, string unit) => value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " " + unit;

        private static IEnumerable<Entity> Seed(int count = Rows)
        {
            var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < count; i++)
            {
                var id = new Guid(i + 1, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1);
                yield return new Entity("emc_callbacknumber", id)
                {
                    ["emc_number"] = "+1555" + i.ToString("D7", CultureInfo.InvariantCulture),
                    ["emc_countrycode"] = Countries[i % Countries.Length],
                    ["emc_leaseexpireson"] = start.AddMinutes(i),
                    ["emc_agentid"] = new EntityReference("systemuser", new Guid(i % 500 + 1, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 2)),
                    ["statecode"] = new OptionSetValue(0),
                    ["emc_name"] = "Callback " + i.ToString(CultureInfo.InvariantCulture),
                };
            }
        }

        internal static Entity Clone(Entity source)
        {
            var clone = new Entity(source.LogicalName, source.Id);
            foreach (var pair in source.Attributes)
            {
                clone.Attributes[pair.Key] = pair.Value;
            }

            return clone;
        }

        /// <summary>Median of the repetitions of one action, in milliseconds.</summary>
        private static double Measure(int repetitions, Action action)
        {
            WarmUp(() => action());
            var times = new List<double>();
            var cpu = new List<double>();
            for (var r = 0; r < repetitions; r++)
            {
                var cpuBefore = ProcessorTime();
                var watch = Stopwatch.StartNew();
                action();
                times.Add(watch.Elapsed.TotalMilliseconds);
                cpu.Add((ProcessorTime() - cpuBefore).TotalMilliseconds);
            }

            return Median(times, cpu);
        }

        private static TimeSpan ProcessorTime() => Process.GetCurrentProcess().TotalProcessorTime;

        /// <summary>
        /// The managed heap an action's result needs, in MiB above the heap before it: the peak while it runs (sampled
        /// every millisecond by another thread, garbage not yet collected included) and what stays after a full
        /// collection; with the action's wall time in ms and its result.
        /// </summary>
        private static (double Peak, double Retained, double Milliseconds, T Result) ManagedHeapOf<T>(Func<T> action)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetTotalMemory(true);
            long peak = before;
            var done = false;
            var sampler = new Thread(() =>
            {
                while (!Volatile.Read(ref done))
                {
                    var now = GC.GetTotalMemory(false);
                    if (now > Interlocked.Read(ref peak))
                    {
                        Interlocked.Exchange(ref peak, now);
                    }

                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            sampler.Start();
            var watch = Stopwatch.StartNew();
            var result = action();
            var milliseconds = watch.Elapsed.TotalMilliseconds;
            var last = GC.GetTotalMemory(false);
            Volatile.Write(ref done, true);
            sampler.Join();
            peak = Math.Max(peak, last);
            var retained = GC.GetTotalMemory(true);
            return ((peak - before) / 1048576.0, (retained - before) / 1048576.0, milliseconds, result);
        }

        /// <summary>Median per-call time over repetitions of <paramref name="calls"/> calls, in µs (or ms with unitScale 1000).</summary>
        private static double MeasurePerCall(int repetitions, int calls, Action<int> call, double unitScale = 1.0)
        {
            var warmUpCall = 0;
            WarmUp(() => call(warmUpCall++ % calls));
            var times = new List<double>();
            var cpu = new List<double>();
            for (var r = 0; r < repetitions; r++)
            {
                var cpuBefore = ProcessorTime();
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++)
                {
                    call(i);
                }

                times.Add(watch.Elapsed.TotalMilliseconds * 1_000.0 / calls / unitScale);
                cpu.Add((ProcessorTime() - cpuBefore).TotalMilliseconds * 1_000.0 / calls / unitScale);
            }

            return Median(times, cpu);
        }

        /// <summary>
        /// Runs an action until the runtime has compiled its hot methods optimized: with tiered compilation a method
        /// runs unoptimized (tier 0) until it has been called 30 times and no new method was compiled for 100 ms, then
        /// a background thread compiles it again. Measured before that, a figure is the JIT's, not the harness's
        /// (a 100,000-row Initialize took 270 ms in its first three runs, 55-80 ms after). At least 3 runs and 0.5 s.
        /// </summary>
        private static void WarmUp(Action action)
        {
            var watch = Stopwatch.StartNew();
            for (var run = 0; run < 3 || watch.ElapsedMilliseconds < 500; run++)
            {
                action();
            }
        }

        private static double Median(List<double> values, List<double> cpu)
        {
            values.Sort();
            cpu.Sort();
            Best.Add(values[0]);
            Cpu.Add(cpu[cpu.Count / 2]);
            return values[values.Count / 2];
        }

        // The best run and the median processor time of every measurement, in order: shown next to the median
        // because the machine is shared.
        private static readonly List<double> Best = new List<double>();
        private static readonly List<double> Cpu = new List<double>();
    }
}
