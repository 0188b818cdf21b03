using System.Globalization;
using System.Text;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests.TestPlugins
{
    /// <summary>
    /// Traces what the platform handed it, one line: "[config] stage=.. mode=.. depth=.. ...". Counts its executions in
    /// a field on purpose, to show that the harness reuses one instance per step as the platform does.
    /// </summary>
    public sealed class TraceContextPlugin : IPlugin
    {
        private readonly string _label;
        private int _executions;

        public TraceContextPlugin(string unsecure, string secure)
        {
            _label = unsecure ?? "no-config";
        }

        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
            _executions++;
            var text = new StringBuilder();
            text.Append('[').Append(_label).Append("] ");
            text.Append("stage=").Append(context.Stage);
            text.Append(" mode=").Append(context.Mode);
            text.Append(" depth=").Append(context.Depth);
            text.Append(" message=").Append(context.MessageName);
            text.Append(" entity=").Append(context.PrimaryEntityName);
            text.Append(" id=").Append(context.PrimaryEntityId);
            text.Append(" user=").Append(context.UserId);
            text.Append(" initiator=").Append(context.InitiatingUserId);
            text.Append(" tx=").Append(context.IsInTransaction);
            text.Append(" created=").Append(context.OperationCreatedOn.ToString("o", CultureInfo.InvariantCulture));
            text.Append(" parent=").Append(context.ParentContext?.MessageName ?? "none");
            text.Append(" executions=").Append(_executions);
            foreach (var image in context.PreEntityImages)
            {
                text.Append(" pre:").Append(image.Key).Append('=').Append(string.Join(",", image.Value.Attributes.Keys.OrderBy(k => k, StringComparer.Ordinal)));
            }

            foreach (var image in context.PostEntityImages)
            {
                text.Append(" post:").Append(image.Key).Append('=').Append(string.Join(",", image.Value.Attributes.Keys.OrderBy(k => k, StringComparer.Ordinal)));
            }

            if (context.OutputParameters.Contains("id"))
            {
                text.Append(" outputid=").Append(context.OutputParameters["id"]);
            }

            if (context.SharedVariables.Contains("validated"))
            {
                text.Append(" shared=").Append(context.SharedVariables["validated"]);
            }

            tracing.Trace(text.ToString());
        }
    }

    /// <summary>Traces the unsecure and secure configuration its constructor received.</summary>
    public sealed class ConfigurationEchoPlugin : IPlugin
    {
        private readonly string? _unsecure;
        private readonly string? _secure;

        public ConfigurationEchoPlugin(string unsecure, string secure)
        {
            _unsecure = unsecure;
            _secure = secure;
        }

        public void Execute(IServiceProvider serviceProvider)
        {
            var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
            tracing.Trace("[configuration] unsecure={0} secure={1}", _unsecure ?? "null", _secure ?? "null");
        }
    }

    /// <summary>PreValidation: rejects an account named "reject"; leaves a shared variable for later stages.</summary>
    public sealed class RejectNamePlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var target = (Entity)context.InputParameters["Target"];
            if (target.GetAttributeValue<string>("name") == "reject")
            {
                throw new InvalidPluginExecutionException("Accounts named 'reject' are refused in PreValidation.");
            }

            context.SharedVariables["validated"] = "yes";
        }
    }

    /// <summary>PreOperation: writes its unsecure configuration into Target.description (so the stored row has it).</summary>
    public sealed class StampDescriptionPlugin : IPlugin
    {
        private readonly string _stamp;

        public StampDescriptionPlugin(string unsecure)
        {
            _stamp = unsecure;
        }

        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            ((Entity)context.InputParameters["Target"])["description"] = _stamp;
        }
    }

    /// <summary>
    /// PostOperation Create of account: creates a contact under the account, then fails when the account is named
    /// "fail-post", or swallows a failing write when named "swallow".
    /// </summary>
    public sealed class PostCreateChildPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
            var service = factory.CreateOrganizationService(context.UserId);
            var name = ((Entity)context.InputParameters["Target"]).GetAttributeValue<string>("name");
            service.Create(new Entity("contact") { ["lastname"] = "child of " + name, ["parentcustomerid"] = new EntityReference("account", context.PrimaryEntityId) });
            if (name == "fail-post")
            {
                throw new InvalidPluginExecutionException("PostOperation failed on purpose.");
            }

            if (name == "swallow")
            {
                try
                {
                    service.Update(new Entity("contact", new Guid("00000000-0000-0000-0000-00000000dead")) { ["lastname"] = "missing" });
                }
                catch (System.ServiceModel.FaultException<OrganizationServiceFault>)
                {
                    // Wrong on purpose: Dataverse does not let a plugin carry on after a failed write in the transaction.
                }
            }
        }
    }

    /// <summary>Async PostOperation Create of account: creates a task; fails for an account named "async-fail".</summary>
    public sealed class AsyncTaskPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
            var service = factory.CreateOrganizationService(null);
            var name = ((Entity)context.InputParameters["Target"]).GetAttributeValue<string>("name");
            service.Create(new Entity("task") { ["subject"] = "follow up " + name, ["regardingobjectid"] = new EntityReference("account", context.PrimaryEntityId) });
            if (name == "async-fail")
            {
                throw new InvalidPluginExecutionException("Async work failed on purpose.");
            }
        }
    }

    /// <summary>PostOperation Update of lead (filtered on subject): updates the same subject again, an endless loop.</summary>
    public sealed class LoopPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
            factory.CreateOrganizationService(null).Update(new Entity("lead", context.PrimaryEntityId) { ["subject"] = "depth " + context.Depth });
        }
    }

    /// <summary>Main operation of test_Echo: echoes Text, doubles Count; "wrong-type" returns a string where an Integer is declared.</summary>
    public sealed class EchoApiPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var text = (string)context.InputParameters["Text"];
            context.OutputParameters["Echo"] = text + " (stage " + context.Stage + ")";
            if (text == "wrong-type")
            {
                context.OutputParameters["Doubled"] = "not a number";
                return;
            }

            var count = context.InputParameters.Contains("Count") ? (int)context.InputParameters["Count"] : 0;
            context.OutputParameters["Doubled"] = count * 2;
            if (text == "query")
            {
                var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
                var service = factory.CreateOrganizationService(context.UserId);
                var batch = new Microsoft.Xrm.Sdk.Messages.ExecuteMultipleRequest
                {
                    Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
                    Requests = new OrganizationRequestCollection(),
                };
                batch.Requests.Add(new Microsoft.Xrm.Sdk.Messages.RetrieveMultipleRequest { Query = new QueryExpression("account") });
                batch.Requests.Add(new Microsoft.Xrm.Sdk.Messages.RetrieveMultipleRequest { Query = new QueryExpression("contact") });
                service.Execute(batch);
                service.Execute(new OrganizationRequest("WhoAmI"));
            }
        }
    }

    /// <summary>Main operation of test_Guarded (executeprivilegename prvTestGuarded): returns the caller.</summary>
    public sealed class GuardedApiPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            context.OutputParameters["CallerId"] = context.UserId;
        }
    }
}
