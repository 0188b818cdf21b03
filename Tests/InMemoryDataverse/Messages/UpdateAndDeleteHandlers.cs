using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace InMemoryDataverse
{
    /// <summary>Update: a new version of the stored row with the target's columns (null clears a column).</summary>
    internal sealed class UpdateHandler : MessageHandler
    {
        public UpdateHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var target = RequiredParameter<Entity>(context, "Target");
            if (target.Id == Guid.Empty)
            {
                throw target.KeyAttributes.Count > 0
                    ? Faults.DoesNotExistByKey(target.LogicalName, EntityStore.DescribeKeys(target.KeyAttributes))
                    : Faults.InvalidArgument("Entity Id must be specified for Update");
            }

            var stored = Store.FindForWrite(target.LogicalName, target.Id) ?? throw Faults.DoesNotExist(target.LogicalName, target.Id);
            Organization.Access.Demand(context.UserId, "Write", stored);
            OptimisticConcurrency.Check(context, target.RowVersion, stored);
            var table = Store.GetTable(target.LogicalName);
            var row = ValueSemantics.CloneEntity(stored);
            foreach (var pair in target.Attributes)
            {
                if (pair.Key == table.PrimaryIdAttribute || pair.Key == "createdon" || pair.Key == "createdby")
                {
                    continue;
                }

                if (pair.Value == null)
                {
                    row.Attributes.Remove(pair.Key);
                }
                else
                {
                    row.Attributes[pair.Key] = ValueSemantics.CloneValue(pair.Value);
                }
            }

            KeyedReferences.Resolve(Store, row);
            ColumnRules.Check(Organization, row, target.Attributes.Keys);
            Organization.Access.DemandAppend(context.UserId, Written(row, target));
            FillDefaultStatus(target, row);
            row.Attributes["modifiedon"] = Organization.UtcNow;
            row.Attributes["modifiedby"] = new EntityReference("systemuser", context.UserId);
            row.RowVersion = Store.NextRowVersion();
            Store.Replace(row);
            ActivityParties.Write(Organization, row, target.Attributes.Keys);
            return new UpdateResponse();
        }

        /// <summary>The columns this Update writes, with their new values (for the Append/AppendTo check).</summary>
        private static Entity Written(Entity row, Entity target)
        {
            var written = new Entity(row.LogicalName, row.Id);
            foreach (var name in target.Attributes.Keys)
            {
                if (row.Attributes.TryGetValue(name, out var value))
                {
                    written.Attributes[name] = value;
                }
            }

            return written;
        }

        /// <summary>"When you update StateCode without specifying a StatusCode, the default status value will be set by the system."</summary>
        private void FillDefaultStatus(Entity target, Entity row)
        {
            if (target.Attributes.TryGetValue("statecode", out var state) && state is OptionSetValue stateValue && !target.Attributes.ContainsKey("statuscode"))
            {
                var status = Metadata.DefaultStatus(target.LogicalName, stateValue.Value);
                if (status.HasValue)
                {
                    row.Attributes["statuscode"] = new OptionSetValue(status.Value);
                }
            }
        }
    }

    /// <summary>Delete: removes the row (and an activity's party rows).</summary>
    internal sealed class DeleteHandler : MessageHandler
    {
        public DeleteHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var target = RequiredParameter<EntityReference>(context, "Target");
            var stored = Store.FindForWrite(target.LogicalName, target.Id) ?? throw Faults.DoesNotExist(target.LogicalName, target.Id);
            Organization.Access.Demand(context.UserId, "Delete", stored);
            OptimisticConcurrency.Check(context, target.RowVersion, stored);
            Store.Remove(target.LogicalName, target.Id);
            if (Metadata.IsActivity(target.LogicalName))
            {
                ActivityParties.Remove(Organization, target.Id, null);
            }

            return new DeleteResponse();
        }
    }

    /// <summary>ConcurrencyBehavior.IfRowVersionMatches on Update and Delete ("optimistic concurrency" in the developer guide).</summary>
    internal static class OptimisticConcurrency
    {
        public static void Check(PluginExecutionContext context, string? rowVersion, StoredRow stored)
        {
            var behavior = context.InputParameters.Contains("ConcurrencyBehavior") && context.InputParameters["ConcurrencyBehavior"] is ConcurrencyBehavior b
                ? b : ConcurrencyBehavior.Default;
            if (behavior != ConcurrencyBehavior.IfRowVersionMatches)
            {
                return;
            }

            if (string.IsNullOrEmpty(rowVersion))
            {
                throw Faults.Create(ErrorCodes.ConcurrencyVersionNotProvided,
                    "The RowVersion property must be provided when the value of ConcurrencyBehavior is IfRowVersionMatches.");
            }

            if (rowVersion != stored.RowVersion)
            {
                throw Faults.Create(ErrorCodes.ConcurrencyVersionMismatch,
                    "The version of the existing record doesn't match the RowVersion property provided.");
            }
        }
    }

    /// <summary>Upsert: an Update when the row exists (by id or alternate key), else a Create; each through its own pipeline.</summary>
    internal sealed class UpsertHandler : MessageHandler
    {
        public UpsertHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var target = RequiredParameter<Entity>(context, "Target");
            var exists = target.Id != Guid.Empty && Store.Find(target.LogicalName, target.Id) != null;
            var response = new UpsertResponse();
            if (exists)
            {
                Organization.Pipeline.Run(new UpdateRequest { Target = target }, caller);
                response.Results["RecordCreated"] = false;
                response.Results["Target"] = new EntityReference(target.LogicalName, target.Id);
            }
            else
            {
                var created = (CreateResponse)Organization.Pipeline.Run(new CreateRequest { Target = target }, caller);
                response.Results["RecordCreated"] = true;
                response.Results["Target"] = new EntityReference(target.LogicalName, created.id);
            }

            return response;
        }
    }
}
