using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using EmergencySolution.Tests.Sdk;

namespace EmergencySolution.Tests.Signing;

/// <summary>
/// The deployed plugin assemblies (their net462 builds) must bind to the platform's SDK and carry a strong-name
/// signature that really verifies: Dataverse refuses unsigned plugin assemblies.
/// </summary>
[TestClass]
public sealed class PluginAssemblySigningTests
{
    private const string ProjectKeyToken = "f6b076048dcd39f3";

    public static IEnumerable<object[]> PluginAssemblies =>
    [
        ["EmergencySolution.Plugins"],
        ["EmergencySolution.CustomApis"],
    ];

    [TestMethod]
    [DynamicData(nameof(PluginAssemblies))]
    public void PluginAssemblyNet462_SdkReference_IsMicrosoftXrmSdk900WithMicrosoftToken(string assemblyName)
    {
        var references = AssemblyIdentity.ReferencesOf(PathOf(assemblyName));

        var sdk = references.SingleOrDefault(reference => reference.Name == "Microsoft.Xrm.Sdk");

        Assert.IsNotNull(sdk, assemblyName + " does not reference Microsoft.Xrm.Sdk.");
        Assert.AreEqual(new Version(9, 0, 0, 0), sdk.Version);
        Assert.AreEqual("31bf3856ad364e35", sdk.PublicKeyToken);
    }

    [TestMethod]
    [DynamicData(nameof(PluginAssemblies))]
    public void PluginAssemblyNet462_Identity_CarriesTheProjectKey(string assemblyName)
    {
        var identity = AssemblyIdentity.Of(PathOf(assemblyName));

        Assert.AreEqual(assemblyName, identity.Name);
        Assert.AreEqual(ProjectKeyToken, identity.PublicKeyToken);
    }

    [TestMethod]
    [DynamicData(nameof(PluginAssemblies))]
    public void PluginAssemblyNet462_StrongNameSignature_Verifies(string assemblyName)
    {
        var check = StrongNameSignature.Verify(File.ReadAllBytes(PathOf(assemblyName)));

        Assert.IsTrue(check.IsValid, assemblyName + ": " + check.Reason);
    }

    [TestMethod]
    [DynamicData(nameof(PluginAssemblies))]
    public void PluginAssemblyNet462_OneByteFlippedInCode_SignatureFails(string assemblyName)
    {
        var image = File.ReadAllBytes(PathOf(assemblyName));
        using (var pe = new PEReader(new MemoryStream(image, writable: false)))
        {
            // The first byte of the first method body: the image stays readable, only its content changes.
            var reader = pe.GetMetadataReader();
            var bodyRva = reader.MethodDefinitions.Select(handle => reader.GetMethodDefinition(handle).RelativeVirtualAddress).First(rva => rva != 0);
            Assert.IsTrue(StrongNameSignature.TryGetFileOffset(pe.PEHeaders, bodyRva, out var bodyOffset));
            image[bodyOffset] ^= 0x01;
        }

        var check = StrongNameSignature.Verify(image);

        Assert.IsFalse(check.IsValid);
        StringAssert.Contains(check.Reason, "does not match");
    }

    [TestMethod]
    [DynamicData(nameof(PluginAssemblies))]
    public void PluginAssemblyNet462_OneByteFlippedInSignature_SignatureFails(string assemblyName)
    {
        var image = File.ReadAllBytes(PathOf(assemblyName));
        using (var pe = new PEReader(new MemoryStream(image, writable: false)))
        {
            var signatureRva = pe.PEHeaders.CorHeader!.StrongNameSignatureDirectory.RelativeVirtualAddress;
            Assert.IsTrue(StrongNameSignature.TryGetFileOffset(pe.PEHeaders, signatureRva, out var signatureOffset));
            image[signatureOffset + 7] ^= 0x80;
        }

        Assert.IsFalse(StrongNameSignature.Verify(image).IsValid);
    }

    [TestMethod]
    [DynamicData(nameof(PluginAssemblies))]
    public void PluginAssemblyNet462_ChecksumChanged_SignatureStillVerifies(string assemblyName)
    {
        // The checksum is excluded from the strong-name hash (it may be rewritten after signing).
        var image = File.ReadAllBytes(PathOf(assemblyName));
        using (var pe = new PEReader(new MemoryStream(image, writable: false)))
        {
            image[pe.PEHeaders.PEHeaderStartOffset + 64] ^= 0xFF;
        }

        Assert.IsTrue(StrongNameSignature.Verify(image).IsValid);
    }

    [TestMethod]
    public void StandInNet462_PublicSignedOnly_SignatureDoesNotVerify()
    {
        // Public signing writes Microsoft's public key but cannot sign: the verifier must see the difference.
        var check = StrongNameSignature.Verify(File.ReadAllBytes(BuiltAssemblies.StandIn("net462")));

        Assert.IsFalse(check.IsValid, check.Reason);
    }

    private static string PathOf(string assemblyName) => assemblyName == "EmergencySolution.Plugins"
        ? BuiltAssemblies.Plugins("net462")
        : BuiltAssemblies.CustomApis("net462");
}
