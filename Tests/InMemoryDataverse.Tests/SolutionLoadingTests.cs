using InMemoryDataverse.Tests.TestPlugins;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class SolutionLoadingTests
    {
        [TestMethod]
        public void LoadSolution_TestSolution_RegistersStepsAndCustomApis()
        {
            var org = TestOrganization.WithSolution();

            Assert.AreEqual(11, org.Steps.Count);
            CollectionAssert.AreEquivalent(new[] { "test_Echo", "test_Guarded" }, org.CustomApis.Keys.ToArray());
            var step = org.Steps.Single(s => s.Id == new Guid("5a000001-0000-4000-8000-000000000006"));
            Assert.AreEqual("Update", step.MessageName);
            Assert.AreEqual("account", step.PrimaryEntity);
            Assert.AreEqual(40, step.Stage);
            Assert.AreEqual(0, step.Mode);
            Assert.AreEqual(typeof(TraceContextPlugin), step.PluginType);
            Assert.AreEqual("update-account-images", step.UnsecureConfiguration);
            CollectionAssert.AreEqual(new[] { "name" }, step.FilteringAttributes.ToArray());
            Assert.AreEqual(2, step.Images.Count);
            var api = org.CustomApis["test_Guarded"];
            Assert.AreEqual("prvTestGuarded", api.ExecutePrivilegeName);
            Assert.IsTrue(api.IsFunction);
            Assert.AreEqual(12, api.ResponseProperties.Single().Type);
        }

        [TestMethod]
        public void LoadSolution_EnvironmentVariable_SeedsDefinitionAndValue()
        {
            var org = TestOrganization.WithSolution();
            var query = new QueryExpression("environmentvariabledefinition") { ColumnSet = new ColumnSet("schemaname", "defaultvalue", "type") };
            query.Criteria.AddCondition("schemaname", ConditionOperator.Equal, "test_Setting");
            var values = new QueryExpression("environmentvariablevalue") { ColumnSet = new ColumnSet("value", "environmentvariabledefinitionid") };

            var definition = org.GetOrganizationService().RetrieveMultiple(query).Entities.Single();
            var value = org.GetOrganizationService().RetrieveMultiple(values).Entities.Single();

            Assert.AreEqual("42", definition.GetAttributeValue<string>("defaultvalue"));
            Assert.AreEqual(100000001, definition.GetAttributeValue<OptionSetValue>("type").Value);
            Assert.AreEqual("43", value.GetAttributeValue<string>("value"));
            Assert.AreEqual(definition.Id, value.GetAttributeValue<EntityReference>("environmentvariabledefinitionid").Id);
        }

        [TestMethod]
        public void LoadSolution_Template_SeedsTemplateRowWithStylesheets()
        {
            var org = TestOrganization.WithSolution();

            var template = org.GetRecord("template", new Guid("7e0c1b5a-3d2f-4a8e-9b61-0c5f3e2d1e01"))!;

            Assert.AreEqual("Test Contact Greeting", template.GetAttributeValue<string>("title"));
            Assert.AreEqual("contact", template.GetAttributeValue<string>("templatetypecode"));
            Assert.AreEqual(1033, template.GetAttributeValue<int>("languagecode"));
            Assert.IsFalse(template.GetAttributeValue<bool>("ispersonal"));
            StringAssert.Contains(template.GetAttributeValue<string>("subject"), "xsl:stylesheet");
            StringAssert.Contains(template.GetAttributeValue<string>("body"), "contact/fullname");
        }

        [TestMethod]
        public void LoadSolution_Roles_SeedsRoleRowsAndAssignRoleWritesIntersect()
        {
            var org = TestOrganization.WithSolution();
            var roleId = new Guid("7e0c1b5a-3d2f-4a8e-9b61-0c5f3e2d1c01");

            org.AssignRole(TestOrganization.Alice, "Test Guard Role");

            Assert.AreEqual("Test Guard Role", org.GetRecord("role", roleId)!.GetAttributeValue<string>("name"));
            Assert.AreEqual(roleId, org.GetRecords("systemuserroles").Single().GetAttributeValue<Guid>("roleid"));
            Assert.IsTrue(org.HasPrivilege(TestOrganization.Alice, "prvReadaccount"));
            Assert.IsFalse(org.HasPrivilege(TestOrganization.Bob, "prvReadaccount"));
        }

        [TestMethod]
        public void AssignRole_UnknownRole_ThrowsNamingIt()
        {
            var org = TestOrganization.WithSolution();

            var exception = Assert.ThrowsExactly<InvalidOperationException>(() => org.AssignRole(TestOrganization.Alice, "No Such Role"));

            StringAssert.Contains(exception.Message, "No Such Role");
        }

        [TestMethod]
        public void LoadSolution_RegisteredTypeMissingFromAssembly_ThrowsNamingType()
        {
            var folder = CopyOfTestSolution();
            var dataXml = Directory.GetFiles(Path.Combine(folder, "PluginAssemblies"), "*.dll.data.xml", SearchOption.AllDirectories).Single();
            File.WriteAllText(dataXml, File.ReadAllText(dataXml).Replace("Name=\"InMemoryDataverse.Tests.TestPlugins.LoopPlugin\"", "Name=\"InMemoryDataverse.Tests.TestPlugins.GonePlugin\""));

            var exception = Assert.ThrowsExactly<InvalidOperationException>(() => new InMemoryOrganization().LoadSolution(folder, typeof(TraceContextPlugin).Assembly));

            StringAssert.Contains(exception.Message, "InMemoryDataverse.Tests.TestPlugins.GonePlugin");
        }

        [TestMethod]
        public void LoadSolution_UnknownSdkMessageId_Throws()
        {
            var folder = CopyOfTestSolution();
            var stepFile = Directory.GetFiles(Path.Combine(folder, "SdkMessageProcessingSteps")).First();
            File.WriteAllText(stepFile, File.ReadAllText(stepFile).Replace("<SdkMessageId>9ebdbb1b", "<SdkMessageId>0ebdbb1b").Replace("<SdkMessageId>20bebb1b", "<SdkMessageId>00bebb1b"));

            var exception = Assert.ThrowsExactly<InvalidOperationException>(() => new InMemoryOrganization().LoadSolution(folder, typeof(TraceContextPlugin).Assembly));

            StringAssert.Contains(exception.Message, "unknown SdkMessageId");
        }

        [TestMethod]
        public void LoadSolution_AssemblyNotPassed_ThrowsNamingAssembly()
        {
            var exception = Assert.ThrowsExactly<InvalidOperationException>(() => new InMemoryOrganization().LoadSolution(TestOrganization.SolutionFolder, typeof(InMemoryOrganization).Assembly));

            StringAssert.Contains(exception.Message, "InMemoryDataverse.Tests");
        }

        [TestMethod]
        public void LoadSolution_EmptyFolder_LoadsNothing()
        {
            var folder = NewTemporaryFolder("imd-empty-");
            var org = new InMemoryOrganization();

            org.LoadSolution(folder);

            Assert.AreEqual(0, org.Steps.Count);
            Assert.AreEqual(0, org.CustomApis.Count);
        }

        // Directory.CreateTempSubdirectory and Path.GetRelativePath are not in .NET Framework; these tests also run on net462.
        private static string NewTemporaryFolder(string prefix) =>
            Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"))).FullName;

        private static string CopyOfTestSolution()
        {
            var target = NewTemporaryFolder("imd-solution-");
            foreach (var file in Directory.GetFiles(TestOrganization.SolutionFolder, "*", SearchOption.AllDirectories))
            {
                var destination = Path.Combine(target, file.Substring(TestOrganization.SolutionFolder.Length).TrimStart(Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }

            return target;
        }
    }
}
