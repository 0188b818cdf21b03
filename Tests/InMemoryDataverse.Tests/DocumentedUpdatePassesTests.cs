using System.Text;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace InMemoryDataverse.Tests
{
    /// <summary>
    /// power-apps/developer/data-platform/special-update-operation-behavior (learn.microsoft.com), "For plug-ins": "When
    /// update requests are processed that include both state/status fields plus other standard fields, plug-ins
    /// registered for the Update message in PreOperation and/or PostOperation stages execute once for all
    /// non-state/status fields, and then once for the state/status fields."
    /// </summary>
    [TestClass]
    public sealed class DocumentedUpdatePassesTests
    {
        private static readonly Guid AccountId = new Guid("5ba7e000-0000-4000-8000-000000000001");

        [TestMethod]
        public void Update_StateWithOtherColumns_Stages20And40RunOnceForTheOtherColumnsThenOnceForTheState()
        {
            var org = Organization();

            org.GetOrganizationService().Update(new Entity("account", AccountId)
            {
                ["name"] = "Contoso Ltd",
                ["statecode"] = new OptionSetValue(1),
                ["statuscode"] = new OptionSetValue(2),
            });

            CollectionAssert.AreEqual(new[]
            {
                "10 target=name,statecode,statuscode pre=Contoso/0",
                "20 target=name pre=Contoso/0",
                "40 target=name pre=Contoso/0 post=Contoso Ltd/0",
                "20 target=statecode,statuscode pre=Contoso Ltd/0",
                "40 target=statecode,statuscode pre=Contoso Ltd/0 post=Contoso Ltd/1",
            }, org.Traces.ToArray(), string.Join(Environment.NewLine, org.Traces));
            var stored = org.GetRecord("account", AccountId)!;
            Assert.AreEqual("Contoso Ltd", stored.GetAttributeValue<string>("name"));
            Assert.AreEqual(2, stored.GetAttributeValue<OptionSetValue>("statuscode").Value);
        }

        [TestMethod]
        public void Update_StateWithOtherColumns_FilteringAttributesChooseThePass()
        {
            var org = Organization(withPipelineTrace: false);
            org.RegisterStep(Step("on-state", PipelineStages.PostOperation, "statecode"));
            org.RegisterStep(Step("on-name", PipelineStages.PostOperation, "name"));

            org.GetOrganizationService().Update(new Entity("account", AccountId) { ["name"] = "Contoso Ltd", ["statecode"] = new OptionSetValue(1) });

            CollectionAssert.AreEqual(new[] { "40 target=name", "40 target=statecode" },
                org.Traces.Select(t => t.Substring(0, t.IndexOf(" pre=", StringComparison.Ordinal))).ToArray(), string.Join(Environment.NewLine, org.Traces));
        }

        [TestMethod]
        public void Update_StateWithOtherColumns_AsyncStepsQueuedOncePerPassWithThatPassesTarget()
        {
            var org = Organization(withPipelineTrace: false);
            var step = Step("async", PipelineStages.PostOperation);
            step.Mode = StepModes.Asynchronous;
            org.RegisterStep(step);

            org.GetOrganizationService().Update(new Entity("account", AccountId) { ["name"] = "Contoso Ltd", ["statecode"] = new OptionSetValue(1) });
            org.RunPendingAsyncOperations();

            CollectionAssert.AreEqual(new[] { "40 target=name pre=Contoso/0 post=Contoso Ltd/0", "40 target=statecode pre=Contoso Ltd/0 post=Contoso Ltd/1" },
                org.Traces.ToArray(), string.Join(Environment.NewLine, org.Traces));
        }

        [TestMethod]
        public void Update_OnlyStateOrOnlyOtherColumns_OnePass()
        {
            var org = Organization();
            var service = org.GetOrganizationService();

            service.Update(new Entity("account", AccountId) { ["name"] = "Contoso Ltd" });
            service.Execute(new UpdateRequest { Target = new Entity("account", AccountId) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(2) } });

            Assert.AreEqual(6, org.Traces.Count, "stages 10, 20 and 40 once for each Update: " + string.Join(Environment.NewLine, org.Traces));
        }

        [TestMethod]
        public void Update_StateWithOtherColumnsAndRowVersion_BothPassesWrite()
        {
            var org = Organization();
            var service = org.GetOrganizationService();
            var version = org.GetRecord("account", AccountId)!.RowVersion;

            service.Execute(new UpdateRequest
            {
                Target = new Entity("account", AccountId) { ["name"] = "Contoso Ltd", ["statecode"] = new OptionSetValue(1), RowVersion = version },
                ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
            });

            Assert.AreEqual(1, org.GetRecord("account", AccountId)!.GetAttributeValue<OptionSetValue>("statecode").Value);
            Assert.AreEqual("Contoso Ltd", org.GetRecord("account", AccountId)!.GetAttributeValue<string>("name"));
        }

        private static InMemoryOrganization Organization(bool withPipelineTrace = true)
        {
            var org = TestOrganization.Bare();
            org.Initialize(new[] { new Entity("account", AccountId) { ["name"] = "Contoso", ["statecode"] = new OptionSetValue(0), ["statuscode"] = new OptionSetValue(1) } });
            if (withPipelineTrace)
            {
                foreach (var stage in new[] { PipelineStages.PreValidation, PipelineStages.PreOperation, PipelineStages.PostOperation })
                {
                    org.RegisterStep(Step("stage " + stage, stage));
                }
            }

            return org;
        }

        private static StepRegistration Step(string name, int stage, params string[] filteringAttributes)
        {
            var step = new StepRegistration
            {
                Name = name,
                MessageName = "Update",
                PrimaryEntity = "account",
                PluginType = typeof(TargetAndImagesPlugin),
                Stage = stage,
            };
            step.Images = new[] { new StepImage { EntityAlias = "image", ImageType = StepImageTypes.Both } };
            step.FilteringAttributes = filteringAttributes;
            return step;
        }
    }

    /// <summary>Traces "stage target=columns pre=name/state post=name/state" for the Update it sees.</summary>
    public sealed class TargetAndImagesPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
            var target = (Entity)context.InputParameters["Target"];
            var text = new StringBuilder().Append(context.Stage).Append(" target=").Append(string.Join(",", target.Attributes.Keys.OrderBy(k => k, StringComparer.Ordinal)));
            Append(text, " pre=", context.PreEntityImages);
            Append(text, " post=", context.PostEntityImages);
            tracing.Trace(text.ToString());
        }

        private static void Append(StringBuilder text, string label, EntityImageCollection images)
        {
            if (images.Contains("image"))
            {
                var image = images["image"];
                text.Append(label).Append(image.GetAttributeValue<string>("name")).Append('/').Append(image.GetAttributeValue<OptionSetValue>("statecode")?.Value);
            }
        }
    }
}
