using System.Diagnostics;
using System.Globalization;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Benchmarks
{
    /// <summary>
    /// Measures the issue's four figures on the harness and, in the same run, on a plain List&lt;Entity&gt; with linear
    /// scans (the baseline). Prints median and best of several runs. "--quick" uses fewer repetitions (&lt; 60 s).
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
            var results = new List<(string Name, string Goal, double Harness, double HarnessBest, double Baseline, string Unit)>();

            // 1. Initialize 100,000 rows.
            InMemoryOrganization? org = null;
            var init = Measure(repetitions, () =>
            {
                org = new InMemoryOrganization();
                org.LoadTables(ShippedSolutionFolder);
                org.Initialize(seed);
            });
            List<Entity>? list = null;
            var initBaseline = Measure(repetitions, () => list = seed.Select(Clone).ToList());
            results.Add(("Initialize 100,000 rows", "<= 1 s", init, Best[^2], initBaseline, "ms"));

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
            results.Add(("Equality on primary id (RetrieveMultiple)", "<= 50 µs", byId, Best[^2], byIdBaseline, "µs"));

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
            results.Add(("Equality on alternate key (RetrieveMultiple)", "<= 50 µs", byKey, Best[^2], byKeyBaseline, "µs"));

            // 3. Full scan, two conditions (country = GB and lease expiry before a date): ~10% of rows match.
            var cutoff = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(Rows / 2);
            int matched = 0;
            var scan = Measure(repetitions, () =>
            {
                var query = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };
                query.Criteria.AddCondition("emc_countrycode", ConditionOperator.Equal, "gb");
                query.Criteria.AddCondition("emc_leaseexpireson", ConditionOperator.LessThan, cutoff);
                matched = service.RetrieveMultiple(query).Entities.Count;
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

            results.Add(($"Full scan, 2 conditions ({matched:N0} matches)", "<= 50 ms", scan, Best[^2], scanBaseline, "ms"));

            // 4. A 20-request scenario through the pipeline (steps on Create and Update), on the 100,000-row organization.
            Scenario.Register(org);
            var scenarioCount = quick ? 50 : 300;
            var scenario = MeasurePerCall(repetitions, scenarioCount, i => Scenario.Run(org, i), unitScale: 1_000.0);
            var scenarioBaseline = MeasurePerCall(repetitions, quick ? 5 : 20, i => Scenario.RunBaseline(list!, i), unitScale: 1_000.0);
            results.Add(("20-request scenario through the pipeline", "<= 5 ms", scenario, Best[^2], scenarioBaseline, "ms"));

            Console.WriteLine($"{"measure",-48} {"goal",-10} {"harness median",15} {"harness best",13} {"linear scan median",19}");
            foreach (var (name, goal, harness, harnessBest, baseline, unit) in results)
            {
                Console.WriteLine($"{name,-48} {goal,-10} {Format(harness, unit),15} {Format(harnessBest, unit),13} {Format(baseline, unit),19}");
            }

            Console.WriteLine();
            Console.WriteLine($"Total time {total.Elapsed.TotalSeconds:F1} s");
            return 0;
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

        private static IEnumerable<Entity> Seed()
        {
            var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < Rows; i++)
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
            action();
            var times = new List<double>();
            for (var r = 0; r < repetitions; r++)
            {
                var watch = Stopwatch.StartNew();
                action();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            return Median(times);
        }

        /// <summary>Median per-call time over repetitions of <paramref name="calls"/> calls, in µs (or ms with unitScale 1000).</summary>
        private static double MeasurePerCall(int repetitions, int calls, Action<int> call, double unitScale = 1.0)
        {
            for (var i = 0; i < Math.Min(calls, 20); i++)
            {
                call(i);
            }

            var times = new List<double>();
            for (var r = 0; r < repetitions; r++)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++)
                {
                    call(i);
                }

                times.Add(watch.Elapsed.TotalMilliseconds * 1_000.0 / calls / unitScale);
            }

            return Median(times);
        }

        private static double Median(List<double> values)
        {
            values.Sort();
            Best.Add(values[0]);
            return values[values.Count / 2];
        }

        // The best run of every measurement, in order: shown next to the median because the machine is shared.
        private static readonly List<double> Best = new List<double>();
    }
}
