using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

// Code the solution checker rules must find, kept outside the EmergencySolution namespace so that the fixture
// packs (which scan EmergencySolution.* of this assembly) do not see it; AssemblyCheckerRulesTests scans it directly.
namespace CheckerRuleSamples
{
    internal static class AllColumnsSample
    {
        public static ColumnSet Everything() => new ColumnSet(true);

        public static ColumnSet Named() => new ColumnSet("emc_number");
    }

    internal static class BatchSample
    {
        public static OrganizationRequest Batch() => new ExecuteMultipleRequest();
    }

    internal static class ParallelSample
    {
        public static void Run() => System.Threading.Tasks.Parallel.For(0, 2, _ => { });
    }
}
