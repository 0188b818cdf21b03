using System.Text.RegularExpressions;

namespace EmergencySolution.Tests.Sdk;

/// <summary>
/// Every public or protected type and member of the stand-in must be a line of the real SDK's surface listing:
/// a line that is not there is an invented or wrong API (name, signature, modifier, base, interface or enum value).
/// </summary>
[TestClass]
public sealed class SurfaceConformanceTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly Lazy<HashSet<string>> RealSurface = new(() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "reference", "xrm-sdk-9.0.2-surface.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal));

    [TestMethod]
    [DataRow("net462")]
    [DataRow("net10.0")]
    public void StandInSurface_EveryLine_AppearsInTheRealSurface(string targetFramework)
    {
        var standIn = SurfaceReader.Read(BuiltAssemblies.StandIn(targetFramework));

        var invented = standIn.Where(line => !RealSurface.Value.Contains(line)).ToList();

        Assert.AreEqual(0, invented.Count,
            "Not in the real Microsoft.Xrm.Sdk 9.0.2 surface:" + Environment.NewLine + string.Join(Environment.NewLine, invented));
        TestContext.WriteLine($"The stand-in ({targetFramework}) covers {standIn.Count} of {RealSurface.Value.Count} lines of the real surface.");
    }

    [TestMethod]
    public void StandInSurface_Net462AndNet10_AreTheSame()
    {
        CollectionAssert.AreEqual(
            SurfaceReader.Read(BuiltAssemblies.StandIn("net462")),
            SurfaceReader.Read(BuiltAssemblies.StandIn("net10.0")));
    }

    [TestMethod]
    public void SdkReadme_CoverageFigure_MatchesTheNet462Surface()
    {
        var covered = SurfaceReader.Read(BuiltAssemblies.StandIn("net462")).Count;
        var readme = File.ReadAllText(BuiltAssemblies.InRepository("Sdk/README.md"));

        var figure = Regex.Match(readme, @"(\d+) of (\d+) lines");

        Assert.IsTrue(figure.Success, "Sdk/README.md states no \"N of M lines\" figure.");
        Assert.AreEqual($"{covered} of {RealSurface.Value.Count} lines", figure.Value, "Update the figure in Sdk/README.md.");
    }

    [TestMethod]
    public void SurfaceReader_KnownTypeOfTheStandIn_PrintsTheListingsLines()
    {
        // The reader must print the listing's format, or the subset test above would prove nothing.
        var standIn = SurfaceReader.Read(BuiltAssemblies.StandIn("net462"));

        CollectionAssert.IsSubsetOf(
            new[]
            {
                "Microsoft.Xrm.Sdk.Entity | TYPE public class arity=0",
                "Microsoft.Xrm.Sdk.Entity | METHOD public virtual T GetAttributeValue<T>(System.String) arity=1",
                "Microsoft.Xrm.Sdk.Entity | METHOD public T ToEntity<T>() where T:Microsoft.Xrm.Sdk.Entity arity=1",
                "Microsoft.Xrm.Sdk.Entity | METHOD public System.Boolean TryGetAttributeValue<T>(System.String, out T) arity=1",
                "Microsoft.Xrm.Sdk.Entity | PROPERTY public System.Object Item[System.String] { get; set; }",
                "Microsoft.Xrm.Sdk.DataCollection`2 | TYPE public abstract class arity=2 <TKey,TValue>",
                "Microsoft.Xrm.Sdk.DataCollection`2 | CTOR protected (System.Collections.Generic.IDictionary<TKey,TValue>)",
                "Microsoft.Xrm.Sdk.ITracingService | METHOD public System.Void Trace(System.String, params System.Object[]) arity=0",
                "Microsoft.Xrm.Sdk.Query.ConditionOperator | ENUM-MEMBER In = 8",
                "Microsoft.Xrm.Sdk.Messages.CreateRequest | BASE Microsoft.Xrm.Sdk.OrganizationRequest",
                "Microsoft.Xrm.Sdk.Money | METHOD public virtual System.Boolean Equals(System.Object) arity=0",
            },
            standIn);
    }
}
