using EmergencySolution.Packager.Building;
using EmergencySolution.Packager.Tests.FixturePlugins;

namespace EmergencySolution.Packager.Tests;

[TestClass]
public sealed class AssemblyInspectorTests
{
    [TestMethod]
    public void Inspect_SignedFixtureAssembly_ReadsFullNameWithProjectToken()
    {
        var assembly = AssemblyInspector.Inspect(typeof(FixtureStepPlugin).Assembly.Location);

        Assert.AreEqual("Packager.Tests, Version=1.0.0.0, Culture=neutral, PublicKeyToken=f6b076048dcd39f3", assembly.FullName);
        Assert.AreEqual(typeof(FixtureStepPlugin).Assembly.FullName, assembly.FullName, "the token is computed as the runtime computes it");
    }

    [TestMethod]
    public void Inspect_PluginDerivedFromBase_FindsIPluginOnTheBaseType()
    {
        var assembly = AssemblyInspector.Inspect(typeof(FixtureStepPlugin).Assembly.Location);

        Assert.IsTrue(assembly.Types[typeof(FixtureStepPlugin).FullName!].ImplementsIPlugin);
        Assert.IsTrue(assembly.Types[typeof(FixturePluginBase).FullName!].ImplementsIPlugin);
        Assert.IsTrue(assembly.Types[typeof(FixturePluginBase).FullName!].IsAbstract);
        Assert.IsFalse(assembly.Types[typeof(NotAPlugin).FullName!].ImplementsIPlugin);
    }
}
