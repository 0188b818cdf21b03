using System.Xml.Linq;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>
/// What the router assumes about the solution, read from SolutionPackage/src (the XML that is imported): the Web API
/// call it makes must exist in that shape, and the role its application user gets must allow it. Names are spelled
/// out literally, so a rename on either side fails here.
/// </summary>
[TestClass]
public sealed class SolutionContractTests
{
    private static readonly string Src = Path.Combine(RepositoryRoot(), "SolutionPackage", "src");

    [TestMethod]
    public void ResolveApi_IsAnUnboundAction_SoTheRouterCanPostNumbersInTheBody()
    {
        var api = XElement.Load(Path.Combine(Src, "customapis", "emc_ResolveEmergencyCallback", "customapi.xml"));

        Assert.AreEqual("0", api.Element("isfunction")!.Value, "a function would take the numbers in the URL (GET)");
        Assert.AreEqual("0", api.Element("bindingtype")!.Value, "unbound: POST [org]/api/data/v9.2/emc_ResolveEmergencyCallback");
        Assert.AreEqual("prvReademc_CallbackNumber", api.Element("executeprivilegename")!.Value);
    }

    [TestMethod]
    [DataRow("CalledNumber", "10", "0")]
    [DataRow("CallerNumber", "10", "1")]
    public void ResolveApi_RequestParameters_AsTheRouterSendsThem(string name, string type, string optional)
    {
        var parameter = XElement.Load(Path.Combine(Src, "customapis", "emc_ResolveEmergencyCallback", "customapirequestparameters", name, "customapirequestparameter.xml"));

        Assert.AreEqual(type, parameter.Element("type")!.Value, "10 = String");
        Assert.AreEqual(optional, parameter.Element("isoptional")!.Value);
    }

    [TestMethod]
    [DataRow("Matched", "0")]
    [DataRow("AgentId", "12")]
    [DataRow("EmergencyCallId", "12")]
    [DataRow("Priority", "7")]
    [DataRow("BypassRouting", "0")]
    [DataRow("ExpiresOn", "1")]
    [DataRow("AgentEntraObjectId", "12")]
    public void ResolveApi_ResponseProperties_HaveTheTypesTheRouterParses(string name, string type)
    {
        var property = XElement.Load(Path.Combine(Src, "customapis", "emc_ResolveEmergencyCallback", "customapiresponseproperties", name, "customapiresponseproperty.xml"));

        Assert.AreEqual(type, property.Element("type")!.Value, "0 Boolean, 1 DateTime, 7 Integer, 12 Guid");
    }

    [TestMethod]
    public void RouterRole_GrantsExactlyWhatResolveReads_AndNoWrite()
    {
        var role = XElement.Load(Path.Combine(Src, "Roles", "Emergency Callback Router.xml"));
        var privileges = role.Descendants("RolePrivilege").Select(p => p.Attribute("name")!.Value.ToLowerInvariant()).OrderBy(p => p, StringComparer.Ordinal).ToList();

        // prvReademc_CallbackNumber: Resolve's execute privilege and its one query of the pool. prvReadUser: the
        // query's link to the lease holder (AgentEntraObjectId). Nothing else: the lease's emergency call id is a
        // column of the pool row, so no read of emergency calls. The end-to-end tests show each one is needed.
        CollectionAssert.AreEqual(new[] { "prvreademc_callbacknumber", "prvreaduser" }, privileges, string.Join(", ", privileges));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EmergencySolution.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("EmergencySolution.sln not found above " + AppContext.BaseDirectory);
    }
}
