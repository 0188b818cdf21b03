using System.Xml.Linq;
using EmergencySolution.Packager.Checks;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// Views (Entities/&lt;table&gt;/SavedQueries) and forms (Entities/&lt;table&gt;/FormXml/&lt;type&gt;): each check fails on a
/// broken copy of the fixture src; the real src ships the views and forms admins expect, packed as real exports pack them.
/// </summary>
[TestClass]
public sealed class ViewAndFormTests
{
    private const string PoolView = "Entities/emc_CallbackNumber/SavedQueries/{66666666-aaaa-4bbb-8ccc-000000000001}.xml";
    private const string QuickFindView = "Entities/emc_CallbackNumber/SavedQueries/{66666666-aaaa-4bbb-8ccc-000000000002}.xml";
    private const string PoolForm = "Entities/emc_CallbackNumber/FormXml/main/{66666666-aaaa-4bbb-8ccc-000000000011}.xml";
    private const string PoolRelationships = "Other/Relationships/emc_CallbackNumber.xml";

    private static void EditFetch(FixtureSolution fixture, string view, Action<XElement> edit) =>
        fixture.EditXml(view, root => edit(root.Descendants("fetch").Single().Element("entity")!));

    private static void EditGridRow(FixtureSolution fixture, string view, Action<XElement> edit) =>
        fixture.EditXml(view, root => edit(root.Descendants("grid").Single().Element("row")!));

    [TestMethod]
    public void Fixture_ViewsAndForm_PackInsideTheirTableAfterEntityInfo()
    {
        using var fixture = new FixtureSolution();
        var result = fixture.Pack();
        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Failures));

        var customizations = XDocument.Load(new MemoryStream(FixtureSolution.ReadZip(fixture.ZipPath(managed: false))["customizations.xml"]));
        var table = customizations.Root!.Element("Entities")!.Elements("Entity").Single(e => e.Element("Name")!.Value == "emc_CallbackNumber");
        CollectionAssert.AreEqual(new[] { "Name", "EntityInfo", "FormXml", "SavedQueries" }, table.Elements().Select(e => e.Name.LocalName).ToArray());
        Assert.AreEqual("main", (string?)table.Element("FormXml")!.Element("forms")!.Attribute("type"));
        Assert.AreEqual("{66666666-aaaa-4bbb-8ccc-000000000011}", table.Descendants("systemform").Single().Element("formid")!.Value);
        CollectionAssert.AreEqual(new[] { "{66666666-aaaa-4bbb-8ccc-000000000001}", "{66666666-aaaa-4bbb-8ccc-000000000002}" },
            table.Element("SavedQueries")!.Element("savedqueries")!.Elements("savedquery").Select(q => q.Element("savedqueryid")!.Value).ToArray());
        Assert.AreEqual(2, result.Components.Single(c => c.What == "views").Count);
        Assert.AreEqual(1, result.Components.Single(c => c.What == "forms").Count);
    }

    [TestMethod]
    public void View_FetchAttributeNotAColumn_Fails() => CheckTests.AssertFails(
        f => EditFetch(f, PoolView, entity => entity.Add(new XElement("attribute", new XAttribute("name", "emc_nosuchcolumn")))),
        PoolView, "fetchxml attribute emc_nosuchcolumn is not a column of emc_callbacknumber");

    [TestMethod]
    public void View_ConditionOnMissingColumn_Fails() => CheckTests.AssertFails(
        f => EditFetch(f, PoolView, entity => entity.Element("filter")!.Element("condition")!.SetAttributeValue("attribute", "statecodes")),
        PoolView, "fetchxml condition statecodes is not a column of emc_callbacknumber");

    [TestMethod]
    public void View_LayoutCellNotAColumn_Fails() => CheckTests.AssertFails(
        f => EditGridRow(f, PoolView, row => row.Add(new XElement("cell", new XAttribute("name", "emc_lease"), new XAttribute("width", "100")))),
        PoolView, "layoutxml cell emc_lease is not a column of emc_callbacknumber");

    [TestMethod]
    public void View_LayoutCellNotFetched_Fails() => CheckTests.AssertFails(
        f => EditGridRow(f, PoolView, row => row.Add(new XElement("cell", new XAttribute("name", "emc_countrycode"), new XAttribute("width", "100")))),
        PoolView, "layoutxml cell emc_countrycode is not an attribute of the fetchxml");

    [TestMethod]
    public void View_RowIdNotThePrimaryKey_Fails() => CheckTests.AssertFails(
        f => EditGridRow(f, PoolView, row => row.SetAttributeValue("id", "emc_number")),
        PoolView, "layoutxml row id is 'emc_number', expected the primary key emc_callbacknumberid");

    [TestMethod]
    public void View_FetchOfAnotherTable_Fails() => CheckTests.AssertFails(
        f => EditFetch(f, PoolView, entity => entity.SetAttributeValue("name", "emc_emergencycall")),
        PoolView, "fetchxml reads 'emc_emergencycall', but the view belongs to emc_callbacknumber");

    [TestMethod]
    public void View_LinkedToAMissingColumn_Fails() => CheckTests.AssertFails(
        f => EditFetch(f, PoolView, entity => entity.Add(new XElement("link-entity", new XAttribute("name", "emc_callbacknumber"),
            new XAttribute("from", "emc_callbacknumberid"), new XAttribute("to", "emc_parentid"), new XAttribute("alias", "parent")))),
        PoolView, "link-entity parent to emc_parentid is not a column of emc_callbacknumber");

    [TestMethod]
    public void View_ShowsTheLeaseHolder_Fails() => CheckTests.AssertFails(
        f =>
        {
            EditFetch(f, PoolView, entity => entity.Add(new XElement("attribute", new XAttribute("name", "emc_agentid"))));
            EditGridRow(f, PoolView, row => row.Add(new XElement("cell", new XAttribute("name", "emc_agentid"), new XAttribute("width", "100"))));
        },
        PoolView, "layoutxml cell emc_agentid of emc_callbacknumber must not be in a view or form: it stays on an expired lease until the clean-up releases it");

    [TestMethod]
    public void View_FiltersByTheLeasedCall_Fails() => CheckTests.AssertFails(
        f => EditFetch(f, PoolView, entity => entity.Element("filter")!.Add(new XElement("condition",
            new XAttribute("attribute", "emc_emergencycallid"), new XAttribute("operator", "not-null")))),
        PoolView, "fetchxml condition emc_emergencycallid of emc_callbacknumber must not be in a view or form");

    [TestMethod]
    public void View_FileNameDiffersFromId_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolView, root => root.Descendants("savedqueryid").Single().Value = "{66666666-aaaa-4bbb-8ccc-0000000000ff}"),
        PoolView, "file name does not match savedqueryid 66666666-aaaa-4bbb-8ccc-0000000000ff");

    [TestMethod]
    public void View_UnknownQueryType_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolView, root => root.Descendants("querytype").Single().Value = "3"),
        PoolView, "querytype '3' is not one a table's views have");

    [TestMethod]
    public void View_QuickFindFlagWithoutQuickFindType_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolView, root => root.Descendants("isquickfindquery").Single().Value = "1"),
        PoolView, "isquickfindquery is 1 exactly for the quick find view (querytype 4)");

    [TestMethod]
    public void View_TwoDefaultsOfOneKind_Fails() => CheckTests.AssertFails(
        f =>
        {
            var copy = "Entities/emc_CallbackNumber/SavedQueries/{66666666-aaaa-4bbb-8ccc-000000000003}.xml";
            File.Copy(f.SrcFile(PoolView), f.SrcFile(copy));
            f.EditXml(copy, root => root.Descendants("savedqueryid").Single().Value = "{66666666-aaaa-4bbb-8ccc-000000000003}");
        },
        "Entities/emc_CallbackNumber/SavedQueries/{66666666-aaaa-4bbb-8ccc-000000000003}.xml", "emc_callbacknumber has 2 default views of querytype 0");

    [TestMethod]
    public void View_TwoQuickFindViews_Fails() => CheckTests.AssertFails(
        f =>
        {
            var copy = "Entities/emc_CallbackNumber/SavedQueries/{66666666-aaaa-4bbb-8ccc-000000000004}.xml";
            File.Copy(f.SrcFile(QuickFindView), f.SrcFile(copy));
            f.EditXml(copy, root =>
            {
                root.Descendants("savedqueryid").Single().Value = "{66666666-aaaa-4bbb-8ccc-000000000004}";
                root.Descendants("isdefault").Single().Value = "0";
            });
        },
        "Entities/emc_CallbackNumber/SavedQueries/{66666666-aaaa-4bbb-8ccc-000000000004}.xml", "emc_callbacknumber has 2 quick find views; a table has one");

    [TestMethod]
    public void View_JumpNotAColumn_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolView, root => root.Descendants("grid").Single().SetAttributeValue("jump", "emc_title")),
        PoolView, "layoutxml jump emc_title is not a column of emc_callbacknumber");

    [TestMethod]
    public void View_WithoutFetch_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolView, root => root.Descendants("fetchxml").Single().Remove()),
        PoolView, "no <fetchxml><fetch><entity>: a view says what it reads");

    [TestMethod]
    public void View_WrongRootElement_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolView, root => root.Name = "savedquerys"),
        PoolView, "root element is <savedquerys>, expected <savedqueries>");

    [TestMethod]
    public void View_IdUsedByAnotherComponent_Fails() => CheckTests.AssertFails(
        f =>
        {
            f.EditXml(QuickFindView, root => root.Descendants("savedqueryid").Single().Value = "{66666666-aaaa-4bbb-8ccc-000000000011}");
            File.Move(f.SrcFile(QuickFindView), f.SrcFile("Entities/emc_CallbackNumber/SavedQueries/{66666666-aaaa-4bbb-8ccc-000000000011}.xml"));
        },
        PoolForm, "form Fixture Form uses id 66666666-aaaa-4bbb-8ccc-000000000011, already used by view Fixture Quick Find");

    [TestMethod]
    public void View_WithoutName_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolView, root => root.Descendants("LocalizedNames").Single().Remove()),
        PoolView, "no LocalizedNames/LocalizedName");

    [TestMethod]
    public void Form_ControlNotAColumn_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolForm, root => root.Descendants("control").First().SetAttributeValue("datafieldname", "emc_numbr")),
        PoolForm, "control emc_number emc_numbr is not a column of emc_callbacknumber");

    [TestMethod]
    public void Form_ShowsTheLeasedCall_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolForm, root => root.Descendants("control").Last().SetAttributeValue("datafieldname", "emc_emergencycallid")),
        PoolForm, "emc_emergencycallid of emc_callbacknumber must not be in a view or form");

    [TestMethod]
    public void Form_DuplicateCellId_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolForm, root => root.Descendants("cell").Last().SetAttributeValue("id", "{66666666-aaaa-4bbb-8ccc-000000000023}")),
        PoolForm, "id {66666666-aaaa-4bbb-8ccc-000000000023} is used 2 times in the form");

    [TestMethod]
    public void Form_UnknownTypeFolder_Fails() => CheckTests.AssertFails(
        f =>
        {
            Directory.CreateDirectory(f.SrcFile("Entities/emc_CallbackNumber/FormXml/mian"));
            File.Move(f.SrcFile(PoolForm), f.SrcFile("Entities/emc_CallbackNumber/FormXml/mian/{66666666-aaaa-4bbb-8ccc-000000000011}.xml"));
        },
        "Entities/emc_CallbackNumber/FormXml/mian/{66666666-aaaa-4bbb-8ccc-000000000011}.xml", "form type folder 'mian' is not one `pac solution unpack` writes");

    [TestMethod]
    public void Form_TwoFormsInOneFile_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolForm, root => root.Add(new XElement(root.Element("systemform")!))),
        PoolForm, "holds 2 <systemform> elements; an unpacked file holds exactly one");

    [TestMethod]
    public void RelatedTab_ListingLeasesByCall_Fails() => CheckTests.AssertFails(
        f => f.EditXml(PoolRelationships, root => root.Descendants("NavPaneDisplayOption").First().Value = "UseCollectionName"),
        PoolRelationships, "relationship emc_emc_emergencycall_emc_callbacknumber_emergencycallid: NavPaneDisplayOption is 'UseCollectionName', must be DoNotDisplay");

    [TestMethod]
    public void RealSrc_ShipsTheViewsAndMainFormsAdminsExpect()
    {
        var source = SolutionSource.Load(Path.Combine(FixtureSolution.RepositoryRoot, "SolutionPackage", "src"));
        var report = new Model.CheckReport();
        ViewAndFormChecks.Run(source, report);
        Assert.IsFalse(report.HasFailures, string.Join("\n", report.Failures));

        var calls = source.Table("emc_emergencycall")!;
        var pool = source.Table("emc_callbacknumber")!;
        View(calls, "Active Emergency Calls", queryType: 0, isDefault: true);
        View(calls, "Emergency Calls by Agent", queryType: 0, isDefault: false);
        View(pool, "Callback Number Pool", queryType: 0, isDefault: true);
        foreach (var table in new[] { calls, pool })
        {
            foreach (var kind in new[] { 1, 2, 4, 64 })
                Assert.AreEqual(1, table.Views.Count(v => v.QueryType == kind && v.IsDefault), $"{table.LogicalName}: one default view of querytype {kind}, as real exports have");
            Assert.AreEqual(1, table.Forms.Count(f => f.Type == "main"), $"{table.LogicalName}: one main form");
        }

        var active = View(calls, "Active Emergency Calls", 0, true);
        Assert.AreEqual("0", active.Fetch!.Descendants("condition").Single(c => (string?)c.Attribute("attribute") == "statecode").Attribute("value")!.Value);
        var byAgent = View(calls, "Emergency Calls by Agent", 0, false);
        Assert.AreEqual("emc_agentid", (string?)byAgent.Fetch!.Descendants("order").First().Attribute("attribute"), "calls by agent are ordered by the agent first");
        var poolView = View(pool, "Callback Number Pool", 0, true);
        CollectionAssert.IsSubsetOf(new[] { "emc_number", "emc_leaseexpireson" }, poolView.Grid!.Descendants("cell").Select(c => (string?)c.Attribute("name")).ToArray(),
            "the pool view shows each number with its lease state");
    }

    private static ViewDefinition View(EntityDefinition table, string name, int queryType, bool isDefault)
    {
        var view = table.Views.SingleOrDefault(v => v.Name == name);
        Assert.IsNotNull(view, $"{table.LogicalName} has no view '{name}'");
        Assert.AreEqual(queryType, view.QueryType, name);
        Assert.AreEqual(isDefault, view.IsDefault, name);
        return view;
    }
}
