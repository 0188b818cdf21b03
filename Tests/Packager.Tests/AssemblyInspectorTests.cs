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

[TestClass]
public sealed class StrongNameVerifierTests
{
    private static string FixtureAssembly => typeof(FixtureStepPlugin).Assembly.Location;

    [TestMethod]
    public void Verify_SignedFixtureAssembly_Passes()
    {
        Assert.IsNull(StrongNameVerifier.Verify(File.ReadAllBytes(FixtureAssembly)));
    }

    [TestMethod]
    public void Verify_OneByteOfCodeChanged_Fails()
    {
        var image = TamperedFixtureAssembly();

        StringAssert.Contains(StrongNameVerifier.Verify(image), "does not match the assembly's content");
    }

    /// <summary>The fixture assembly with the last byte of .text changed: still readable, no longer what was signed.</summary>
    public static byte[] TamperedFixtureAssembly()
    {
        var image = File.ReadAllBytes(FixtureAssembly);
        using (var pe = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(image, writable: false)))
        {
            var text = pe.PEHeaders.SectionHeaders.First(s => s.Name == ".text");
            image[text.PointerToRawData + text.SizeOfRawData - 1] ^= 0x01;
        }
        return image;
    }

    [TestMethod]
    public void Verify_PublicSignedStandIn_Fails()
    {
        // Microsoft.Xrm.Sdk (the stand-in) is public-signed with Microsoft's key: a public key but no signature.
        var standIn = Path.Combine(AppContext.BaseDirectory, "Microsoft.Xrm.Sdk.dll");

        Assert.IsNotNull(StrongNameVerifier.Verify(File.ReadAllBytes(standIn)));
    }
}
