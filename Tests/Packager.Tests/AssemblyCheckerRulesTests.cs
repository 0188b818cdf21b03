using EmergencySolution.Packager.Building;

namespace EmergencySolution.Packager.Tests;

/// <summary>The solution checker rules read from built assemblies: they find what they look for, and our plugins are clean of it.</summary>
[TestClass]
public sealed class AssemblyCheckerRulesTests
{
    private static IReadOnlyList<CheckerFinding> Samples() => AssemblyCheckerRules.Find(typeof(AssemblyCheckerRulesTests).Assembly.Location, "CheckerRuleSamples");

    [TestMethod]
    public void ColumnSetTrue_IsFound_ANamedColumnSetIsNot()
    {
        var findings = Samples().Where(f => f.Rule == AssemblyCheckerRules.AllColumns).Select(f => f.Method).ToList();

        CollectionAssert.AreEqual(new[] { "CheckerRuleSamples.AllColumnsSample.Everything" }, findings);
    }

    [TestMethod]
    public void BatchRequestAndParallelExecution_AreFound()
    {
        var findings = Samples();

        Assert.IsTrue(findings.Any(f => f.Rule == AssemblyCheckerRules.BatchRequests && f.Method == "CheckerRuleSamples.BatchSample.Batch"), string.Join("\n", findings));
        Assert.IsTrue(findings.Any(f => f.Rule == AssemblyCheckerRules.ParallelExecution && f.Method == "CheckerRuleSamples.ParallelSample.Run"), string.Join("\n", findings));
    }

    [TestMethod]
    public void FixturePluginCode_OutsideTheScannedNamespace_IsNotScanned()
    {
        Assert.IsEmpty(AssemblyCheckerRules.Find(typeof(AssemblyCheckerRulesTests).Assembly.Location, "EmergencySolution"));
    }
}
