using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Benchmarks
{
    /// <summary>
    /// A 20-request scenario shaped like an emergency call: read configuration, look up a free callback number by
    /// key, create the call, lease the number with a row-version check, update presence, create and send an email,
    /// end the call; with sync steps (pre and post) on Create and Update of the call and number tables.
    /// </summary>
    internal static class Scenario
    {
        public static void Register(InMemoryOrganization org)
        {
            foreach (var entity in new[] { "emc_emergencycall", "emc_callbacknumber" })
            {
                foreach (var message in new[] { "Create", "Update" })
                {
                    foreach (var stage in new[] { 20, 40 })
                    {
                        org.RegisterStep(new StepRegistration
                        {
                            Name = $"bench: {message} of {entity} stage {stage}",
                            MessageName = message,
                            PrimaryEntity = entity,
                            Stage = stage,
                            PluginType = typeof(TouchPlugin),
                            Images = stage == 40 && message == "Update"
                                ? new[] { new StepImage { Name = "Pre", EntityAlias = "Pre", ImageType = 0, Attributes = new[] { "statecode" } } }
                                : Array.Empty<StepImage>(),
                        });
                    }
                }
            }

            org.Initialize(
                new Entity("systemuser", Agent) { ["fullname"] = "Agent" },
                new Entity("msdyn_agentstatus", AgentStatus) { ["msdyn_agentid"] = new EntityReference("systemuser", Agent) },
                new Entity("environmentvariabledefinition", Guid.NewGuid()) { ["schemaname"] = "emc_CallbackLeaseMinutes", ["defaultvalue"] = "60" });
        }

        private static readonly Guid Agent = new Guid("a9e00000-0000-4000-8000-000000000001");
        private static readonly Guid AgentStatus = new Guid("a9e00000-0000-4000-8000-000000000002");

        public static void Run(InMemoryOrganization org, int iteration)
        {
            var service = org.CreateOrganizationService(Agent);
            var number = "+1555" + (iteration % 100_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
            // 1-2: configuration and the caller.
            var config = new QueryExpression("environmentvariabledefinition") { ColumnSet = new ColumnSet("defaultvalue") };
            config.Criteria.AddCondition("schemaname", ConditionOperator.Equal, "emc_CallbackLeaseMinutes");
            service.RetrieveMultiple(config);
            service.Execute(new OrganizationRequest("WhoAmI"));
            // 3: a callback number by alternate key.
            var byKey = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number", "emc_emergencycallid") };
            byKey.Criteria.AddCondition("emc_number", ConditionOperator.Equal, number);
            var callback = service.RetrieveMultiple(byKey).Entities[0];
            // 4-5: the call row and its number lease (row version checked).
            var callId = service.Create(new Entity("emc_emergencycall") { ["emc_name"] = "call", ["emc_agentid"] = new EntityReference("systemuser", Agent) });
            service.Execute(new Microsoft.Xrm.Sdk.Messages.UpdateRequest
            {
                Target = new Entity("emc_callbacknumber", callback.Id) { ["emc_emergencycallid"] = new EntityReference("emc_emergencycall", callId), RowVersion = callback.RowVersion },
                ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
            });
            // 6-8: presence.
            service.Retrieve("msdyn_agentstatus", AgentStatus, new ColumnSet("msdyn_currentpresenceid"));
            service.Update(new Entity("msdyn_agentstatus", AgentStatus) { ["msdyn_currentpresenceid"] = new EntityReference("msdyn_presence", Guid.Empty) });
            service.Update(new Entity("emc_emergencycall", callId) { ["emc_priorpresenceid"] = new EntityReference("msdyn_presence", Guid.Empty) });
            // 9-11: notification email.
            var emailId = service.Create(new Entity("email") { ["subject"] = "Emergency call", ["regardingobjectid"] = new EntityReference("emc_emergencycall", callId) });
            service.Execute(new OrganizationRequest("SendEmail") { ["EmailId"] = emailId, ["IssueSend"] = true, ["TrackingToken"] = string.Empty });
            service.Update(new Entity("emc_emergencycall", callId) { ["emc_notificationstatus"] = new OptionSetValue(410750002) });
            // 12-16: reads during the call.
            for (var i = 0; i < 5; i++)
            {
                service.Retrieve("emc_emergencycall", callId, new ColumnSet("emc_agentid", "statecode"));
            }

            // 17-20: end the call, restore presence, release nothing yet, re-read.
            service.Execute(new OrganizationRequest("SetState") { ["EntityMoniker"] = new EntityReference("emc_emergencycall", callId), ["State"] = new OptionSetValue(1), ["Status"] = new OptionSetValue(2) });
            service.Update(new Entity("msdyn_agentstatus", AgentStatus) { ["msdyn_currentpresenceid"] = null });
            service.Update(new Entity("emc_emergencycall", callId) { ["emc_endedon"] = org.UtcNow });
            service.Retrieve("emc_emergencycall", callId, new ColumnSet(true));
        }

        /// <summary>The same 20 operations on a List with linear scans and no pipeline.</summary>
        public static void RunBaseline(List<Entity> rows, int iteration)
        {
            var number = "+1555" + (iteration % 100_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
            Entity Find(Guid id) => Program.Clone(rows.First(r => r.Id == id));
            rows.Where(r => r.LogicalName == "environmentvariabledefinition").ToList();
            var callback = Program.Clone(rows.First(r => string.Equals(r.GetAttributeValue<string>("emc_number"), number, StringComparison.OrdinalIgnoreCase)));
            var call = new Entity("emc_emergencycall", Guid.NewGuid()) { ["emc_name"] = "call" };
            rows.Add(call);
            for (var i = 0; i < 16; i++)
            {
                Find(i % 2 == 0 ? call.Id : callback.Id)["emc_name"] = "touched";
            }

            rows.RemoveAt(rows.Count - 1);
        }

        /// <summary>A step that does what thin plugins do: read the context and the target, trace once.</summary>
        public sealed class TouchPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
                if (context.InputParameters.Contains("Target") && context.InputParameters["Target"] is Entity target && target.Contains("emc_name"))
                {
                    tracing.Trace("touch {0}", context.Stage);
                }
            }
        }
    }
}
