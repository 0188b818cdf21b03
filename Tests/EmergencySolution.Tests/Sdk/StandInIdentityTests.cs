namespace EmergencySolution.Tests.Sdk;

/// <summary>The stand-in must carry the real SDK's identity, so plugins built against it bind to the platform's SDK.</summary>
[TestClass]
public sealed class StandInIdentityTests
{
    [TestMethod]
    [DataRow("net462")]
    [DataRow("net10.0")]
    public void StandIn_Identity_IsMicrosoftXrmSdk900WithMicrosoftToken(string targetFramework)
    {
        var identity = AssemblyIdentity.Of(BuiltAssemblies.StandIn(targetFramework));

        Assert.AreEqual("Microsoft.Xrm.Sdk", identity.Name);
        Assert.AreEqual(new Version(9, 0, 0, 0), identity.Version);
        Assert.AreEqual("31bf3856ad364e35", identity.PublicKeyToken);
    }

    [TestMethod]
    public void TokenOf_MicrosoftPublicKey_Is31bf3856ad364e35()
    {
        // Guards the token computation itself with the key published in reference/toolchain-facts.md.
        var key = Convert.FromHexString(
            "0024000004800000940000000602000000240000525341310004000001000100b5fc90e7027f67871e773a8fde8938c81dd402ba65b9201d60593e96c492651e889cc13f1415ebb53fac1131ae0bd333c5ee6021672d9718ea31a8aebd0da0072f25d87dba6fc90ffd598ed4da35e44c398c454307e8e33b8426143daec9f596836f97c8f74750e5975c64e2189f45def46b2a2b1247adc3652bf5c308055da9");

        Assert.AreEqual("31bf3856ad364e35", AssemblyIdentity.TokenOf(key));
    }
}
