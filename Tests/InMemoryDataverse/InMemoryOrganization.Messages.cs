using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    public sealed partial class InMemoryOrganization
    {
        private delegate OrganizationResponse MainOperation(PluginExecutionContext context, Caller caller);

        /// <summary>Stage 30: a replaced handler, the custom API's plugin, or the built-in platform operation.</summary>
        private MainOperation ResolveMainOperation(OrganizationRequest request, CustomApiDefinition? api)
        {
            var name = request.RequestName ?? string.Empty;
            if (_handlers.TryGetValue(name, out var handler))
            {
                return (context, caller) =>
                {
                    var forwarded = new OrganizationRequest(name) { Parameters = context.InputParameters, RequestId = context.RequestId };
                    return handler(forwarded, new ExecutionInfo(this, caller.UserId, caller.InitiatingUserId, caller.Depth, caller.PluginTypeName, context))
                        ?? new OrganizationResponse { ResponseName = name };
                };
            }

            if (api != null)
            {
                return (context, caller) =>
                {
                    if (api.PluginType == null)
                    {
                        return new OrganizationResponse { ResponseName = api.UniqueName };
                    }

                    var mainContext = context.CopyForStage(30, 0);
                    var plugin = GetPluginInstance(api, api.PluginType, null, null);
                    InvokePlugin(plugin, mainContext, api.PluginType.FullName ?? api.PluginType.Name);
                    return new OrganizationResponse { ResponseName = api.UniqueName };
                };
            }

            switch (name)
            {
                case "Create": return (c, _) => CreateCore(c);
                case "Retrieve": return (c, _) => RetrieveCore(c);
                case "RetrieveMultiple": return (c, _) => RetrieveMultipleCore(c);
                case "Update": return (c, _) => UpdateCore(c);
                case "Delete": return (c, _) => DeleteCore(c);
                case "Upsert": return UpsertCore;
                case "Associate": return (c, _) => AssociateCore(c, associate: true);
                case "Disassociate": return (c, _) => AssociateCore(c, associate: false);
                case "SetState": return SetStateCore;
                case "WhoAmI": return WhoAmICore;
                case "SendEmail": return SendEmailCore;
                case "InstantiateTemplate": return (c, _) => InstantiateTemplateCore(c);
                default:
                    throw new NotSupportedException(
                        $"The in-memory organization does not support the message '{name}' (request type {request.GetType().FullName}). " +
                        "Load a custom API that defines it, or add a handler with AddMessageHandler.");
            }
        }

        // ---------------------------------------------------------------- CRUD

        private OrganizationResponse CreateCore(PluginExecutionContext context)
        {
            var target = RequiredParameter<Entity>(context, "Target");
            var table = _store.GetTable(target.LogicalName);
            var id = target.Id != Guid.Empty ? target.Id
                : target.Attributes.TryGetValue(table.PrimaryIdAttribute, out var idValue) && idValue is Guid g && g != Guid.Empty ? g
                : Guid.NewGuid();
            var row = new Entity(target.LogicalName) { Id = id };
            foreach (var pair in target.Attributes)
            {
                if (pair.Value != null)
                {
                    row.Attributes[pair.Key] = ValueSemantics.CloneValue(pair.Value);
                }
            }

            foreach (var pair in target.KeyAttributes)
            {
                if (!row.Attributes.ContainsKey(pair.Key) && pair.Value != null)
                {
                    row.Attributes[pair.Key] = ValueSemantics.CloneValue(pair.Value);
                }
            }

            row.Attributes[table.PrimaryIdAttribute] = id;
            row.Attributes["createdon"] = UtcNow;
            row.Attributes["modifiedon"] = UtcNow;
            row.Attributes["createdby"] = new EntityReference("systemuser", context.UserId);
            row.Attributes["modifiedby"] = new EntityReference("systemuser", context.UserId);
            if (!IsIntersect(target.LogicalName))
            {
                if (!row.Attributes.ContainsKey("ownerid"))
                {
                    row.Attributes["ownerid"] = new EntityReference("systemuser", context.UserId);
                }

                if (!row.Attributes.ContainsKey("statecode"))
                {
                    row.Attributes["statecode"] = new OptionSetValue(0);
                }

                if (!row.Attributes.ContainsKey("statuscode"))
                {
                    // 1 is the first active status of most tables; seed statuscode where a table's default differs.
                    row.Attributes["statuscode"] = new OptionSetValue(1);
                }
            }

            row.RowVersion = _store.NextRowVersion();
            _store.Insert(row);
            WriteActivityParties(row, row.Attributes.Keys.ToList());
            context.PrimaryEntityId = id;
            var response = new CreateResponse();
            response.Results["id"] = id;
            return response;
        }

        private bool IsIntersect(string entityName) =>
            entityName == "systemuserroles" || _metadata.IsIntersectEntity(entityName);

        private OrganizationResponse RetrieveCore(PluginExecutionContext context)
        {
            var target = RequiredParameter<EntityReference>(context, "Target");
            var columns = context.InputParameters.Contains("ColumnSet") && context.InputParameters["ColumnSet"] is ColumnSet c ? c : new ColumnSet();
            var row = _store.Find(target.LogicalName, target.Id) ?? throw Faults.DoesNotExist(target.LogicalName, target.Id);
            var response = new RetrieveResponse();
            response.Results["Entity"] = QueryEngine.ProjectRow(row, columns, _metadata.PrimaryIdAttribute(target.LogicalName));
            return response;
        }

        private OrganizationResponse RetrieveMultipleCore(PluginExecutionContext context)
        {
            var query = RequiredParameter<QueryBase>(context, "Query");
            var response = new RetrieveMultipleResponse();
            response.Results["EntityCollection"] = _queries.Execute(ToQueryExpression(query));
            return response;
        }

        private static QueryExpression ToQueryExpression(QueryBase query)
        {
            switch (query)
            {
                case QueryExpression expression: return expression;
                case QueryByAttribute byAttribute: return QueryEngine.FromQueryByAttribute(byAttribute);
                case FetchExpression fetch: return FetchXmlConverter.Convert(fetch.Query);
                default: throw new NotSupportedException($"The in-memory organization does not support the query type {query?.GetType().FullName}.");
            }
        }

        private OrganizationResponse UpdateCore(PluginExecutionContext context)
        {
            var target = RequiredParameter<Entity>(context, "Target");
            if (target.Id == Guid.Empty)
            {
                throw target.KeyAttributes.Count > 0
                    ? Faults.DoesNotExistByKey(target.LogicalName, DescribeKeys(target.KeyAttributes))
                    : Faults.InvalidArgument("Entity Id must be specified for Update");
            }

            var stored = _store.Find(target.LogicalName, target.Id) ?? throw Faults.DoesNotExist(target.LogicalName, target.Id);
            CheckConcurrency(context, target.RowVersion, stored);
            var table = _store.GetTable(target.LogicalName);
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

            row.Attributes["modifiedon"] = UtcNow;
            row.Attributes["modifiedby"] = new EntityReference("systemuser", context.UserId);
            row.RowVersion = _store.NextRowVersion();
            _store.Replace(row);
            WriteActivityParties(row, target.Attributes.Keys.ToList());
            return new UpdateResponse();
        }

        private static void CheckConcurrency(PluginExecutionContext context, string? rowVersion, Entity stored)
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

        private OrganizationResponse DeleteCore(PluginExecutionContext context)
        {
            var target = RequiredParameter<EntityReference>(context, "Target");
            var stored = _store.Find(target.LogicalName, target.Id) ?? throw Faults.DoesNotExist(target.LogicalName, target.Id);
            CheckConcurrency(context, target.RowVersion, stored);
            _store.Remove(target.LogicalName, target.Id);
            if (_metadata.IsActivity(target.LogicalName))
            {
                RemoveActivityParties(target.Id, null);
            }

            return new DeleteResponse();
        }

        private OrganizationResponse UpsertCore(PluginExecutionContext context, Caller caller)
        {
            var target = RequiredParameter<Entity>(context, "Target");
            var exists = target.Id != Guid.Empty && _store.Find(target.LogicalName, target.Id) != null;
            var response = new UpsertResponse();
            if (exists)
            {
                RunPipeline(new UpdateRequest { Target = target }, caller);
                response.Results["RecordCreated"] = false;
                response.Results["Target"] = new EntityReference(target.LogicalName, target.Id);
            }
            else
            {
                var created = (CreateResponse)RunPipeline(new CreateRequest { Target = target }, caller);
                response.Results["RecordCreated"] = true;
                response.Results["Target"] = new EntityReference(target.LogicalName, created.id);
            }

            return response;
        }

        private OrganizationResponse AssociateCore(PluginExecutionContext context, bool associate)
        {
            var target = RequiredParameter<EntityReference>(context, "Target");
            var relationship = RequiredParameter<Relationship>(context, "Relationship");
            var related = RequiredParameter<EntityReferenceCollection>(context, "RelatedEntities");
            var definition = _metadata.FindManyToMany(relationship.SchemaName)
                ?? throw new NotSupportedException($"The relationship '{relationship.SchemaName}' is not declared to the in-memory organization (DeclareManyToMany).");
            if (_store.Find(target.LogicalName, target.Id) == null)
            {
                throw Faults.DoesNotExist(target.LogicalName, target.Id);
            }

            var targetIsEntity1 = target.LogicalName == definition.Entity1
                && (definition.Entity1 != definition.Entity2 || relationship.PrimaryEntityRole != EntityRole.Referenced);
            var intersect = _store.GetTable(definition.IntersectEntity);
            foreach (var other in related)
            {
                if (_store.Find(other.LogicalName, other.Id) == null)
                {
                    throw Faults.DoesNotExist(other.LogicalName, other.Id);
                }

                var id1 = targetIsEntity1 ? target.Id : other.Id;
                var id2 = targetIsEntity1 ? other.Id : target.Id;
                var existing = intersect.Rows.Values.FirstOrDefault(r =>
                    r.GetAttributeValue<Guid>(definition.Entity1Attribute) == id1 && r.GetAttributeValue<Guid>(definition.Entity2Attribute) == id2);
                if (associate)
                {
                    if (existing != null)
                    {
                        throw Faults.Duplicate(definition.IntersectEntity, $"({definition.Entity1Attribute}:{id1}, {definition.Entity2Attribute}:{id2})");
                    }

                    var row = new Entity(definition.IntersectEntity, Guid.NewGuid());
                    row.Attributes[definition.Entity1Attribute] = id1;
                    row.Attributes[definition.Entity2Attribute] = id2;
                    row.Attributes[intersect.PrimaryIdAttribute] = row.Id;
                    row.RowVersion = _store.NextRowVersion();
                    _store.Insert(row);
                }
                else if (existing != null)
                {
                    _store.Remove(definition.IntersectEntity, existing.Id);
                }
            }

            return associate ? (OrganizationResponse)new AssociateResponse() : new DisassociateResponse();
        }

        // ---------------------------------------------------------------- activity parties

        // Party-list columns of activities and their participationtypemask values.
        private static readonly Dictionary<string, int> PartyListMasks = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["from"] = 1, ["to"] = 2, ["cc"] = 3, ["bcc"] = 4, ["requiredattendees"] = 5, ["optionalattendees"] = 6,
            ["organizer"] = 7, ["resources"] = 10, ["customers"] = 11,
        };

        /// <summary>
        /// As Dataverse, a party list written on an activity becomes activityparty rows (activityid, partyid,
        /// addressused, participationtypemask), replacing that list's previous rows; the column keeps the list too.
        /// </summary>
        private void WriteActivityParties(Entity activity, IReadOnlyCollection<string> writtenColumns)
        {
            if (!_metadata.IsActivity(activity.LogicalName))
            {
                return;
            }

            foreach (var column in writtenColumns)
            {
                if (!PartyListMasks.TryGetValue(column, out var mask))
                {
                    continue;
                }

                RemoveActivityParties(activity.Id, mask);
                if (!(activity.Attributes.TryGetValue(column, out var value) && value is EntityCollection parties))
                {
                    continue;
                }

                foreach (var party in parties.Entities)
                {
                    var row = new Entity("activityparty", Guid.NewGuid());
                    row.Attributes["activitypartyid"] = row.Id;
                    row.Attributes["activityid"] = new EntityReference(activity.LogicalName, activity.Id);
                    row.Attributes["participationtypemask"] = new OptionSetValue(mask);
                    foreach (var name in new[] { "partyid", "addressused" })
                    {
                        if (party.Attributes.TryGetValue(name, out var partyValue) && partyValue != null)
                        {
                            row.Attributes[name] = ValueSemantics.CloneValue(partyValue);
                        }
                    }

                    row.RowVersion = _store.NextRowVersion();
                    _store.Insert(row);
                }
            }
        }

        private void RemoveActivityParties(Guid activityId, int? mask)
        {
            if (!_store.TryGetTable("activityparty", out var table))
            {
                return;
            }

            var stale = table.Rows.Values
                .Where(r => r.GetAttributeValue<EntityReference>("activityid")?.Id == activityId
                    && (mask == null || r.GetAttributeValue<OptionSetValue>("participationtypemask")?.Value == mask))
                .Select(r => r.Id)
                .ToList();
            foreach (var id in stale)
            {
                _store.Remove("activityparty", id);
            }
        }

        // ---------------------------------------------------------------- platform messages

        /// <summary>SetState is turned into an Update of statecode/statuscode, so Update steps on those columns run.</summary>
        private OrganizationResponse SetStateCore(PluginExecutionContext context, Caller caller)
        {
            var moniker = RequiredParameter<EntityReference>(context, "EntityMoniker");
            var state = RequiredParameter<OptionSetValue>(context, "State");
            var status = context.InputParameters.Contains("Status") ? context.InputParameters["Status"] as OptionSetValue : null;
            var update = new Entity(moniker.LogicalName, moniker.Id) { ["statecode"] = new OptionSetValue(state.Value) };
            update["statuscode"] = status == null || status.Value == -1 ? null : new OptionSetValue(status.Value);
            if (update["statuscode"] == null)
            {
                update.Attributes.Remove("statuscode");
            }

            RunPipeline(new UpdateRequest { Target = update }, caller);
            return new OrganizationResponse { ResponseName = "SetState" };
        }

        private OrganizationResponse WhoAmICore(PluginExecutionContext context, Caller caller)
        {
            var response = new OrganizationResponse { ResponseName = "WhoAmI" };
            response.Results["UserId"] = caller.UserId;
            response.Results["BusinessUnitId"] = BusinessUnitId;
            response.Results["OrganizationId"] = OrganizationId;
            return response;
        }

        private OrganizationResponse SendEmailCore(PluginExecutionContext context, Caller caller)
        {
            var emailId = RequiredParameter<Guid>(context, "EmailId");
            var email = _store.Find("email", emailId) ?? throw Faults.DoesNotExist("email", emailId);
            var issueSend = context.InputParameters.Contains("IssueSend") && context.InputParameters["IssueSend"] is bool b && b;
            // IssueSend=true hands the email to the mail router (Pending Send, 6); false marks it Sent (3) at once.
            // Both end as "Sent" for this harness, which has no mail router: statuscode 3.
            var update = new Entity("email", emailId) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(3) };
            RunPipeline(new UpdateRequest { Target = update }, caller);
            AddTrace($"SendEmail: email {emailId} marked Sent (IssueSend={issueSend}).");
            var response = new OrganizationResponse { ResponseName = "SendEmail" };
            response.Results["Subject"] = email.GetAttributeValue<string>("subject");
            return response;
        }

        private OrganizationResponse InstantiateTemplateCore(PluginExecutionContext context)
        {
            var templateId = RequiredParameter<Guid>(context, "TemplateId");
            var objectType = RequiredParameter<string>(context, "ObjectType");
            var objectId = RequiredParameter<Guid>(context, "ObjectId");
            var template = _store.Find("template", templateId) ?? throw Faults.DoesNotExist("template", templateId);
            var record = _store.Find(objectType, objectId) ?? throw Faults.DoesNotExist(objectType, objectId);
            var email = new Entity("email");
            email.Attributes["subject"] = TemplateRenderer.Render(template.GetAttributeValue<string>("subject"), record);
            email.Attributes["description"] = TemplateRenderer.Render(template.GetAttributeValue<string>("body"), record);
            var response = new OrganizationResponse { ResponseName = "InstantiateTemplate" };
            response.Results["EntityCollection"] = new EntityCollection(new List<Entity> { email }) { EntityName = "email" };
            return response;
        }

        // ---------------------------------------------------------------- custom API checks

        private void CheckExecutePrivilege(CustomApiDefinition api, Guid userId)
        {
            if (!string.IsNullOrEmpty(api.ExecutePrivilegeName) && !HasPrivilege(userId, api.ExecutePrivilegeName!))
            {
                throw Faults.Create(ErrorCodes.PrivilegeDenied,
                    $"Principal user (Id={userId}, type=8) is missing {api.ExecutePrivilegeName} privilege (message {api.UniqueName}).");
            }
        }

        private static void ValidateCustomApiInputs(CustomApiDefinition api, OrganizationRequest request)
        {
            foreach (var pair in request.Parameters)
            {
                if (api.BindingType != 0 && pair.Key == "Target")
                {
                    continue;
                }

                var definition = api.RequestParameters.FirstOrDefault(p => p.UniqueName == pair.Key)
                    ?? throw Faults.InvalidArgument($"The parameter '{pair.Key}' is not defined for the message '{api.UniqueName}'. Defined: {string.Join(", ", api.RequestParameters.Select(p => p.UniqueName))}.");
                if (pair.Value == null)
                {
                    if (!definition.IsOptional)
                    {
                        throw Faults.InvalidArgument($"The required parameter '{pair.Key}' of '{api.UniqueName}' is null.");
                    }

                    continue;
                }

                if (!CustomApiTypes.Matches(definition.Type, pair.Value))
                {
                    throw Faults.InvalidArgument(
                        $"The parameter '{pair.Key}' of '{api.UniqueName}' must be {CustomApiTypes.Describe(definition.Type)}, not {pair.Value.GetType().FullName}.");
                }
            }

            foreach (var definition in api.RequestParameters.Where(p => !p.IsOptional))
            {
                if (!request.Parameters.Contains(definition.UniqueName))
                {
                    throw Faults.InvalidArgument($"The required parameter '{definition.UniqueName}' of '{api.UniqueName}' is missing.");
                }
            }

            if (api.BindingType != 0 && !(request.Parameters.Contains("Target") && request.Parameters["Target"] is EntityReference))
            {
                throw Faults.InvalidArgument($"The bound message '{api.UniqueName}' needs a Target EntityReference.");
            }
        }

        private static void ValidateCustomApiOutputs(CustomApiDefinition api, ParameterCollection outputs)
        {
            foreach (var pair in outputs)
            {
                var definition = api.ResponseProperties.FirstOrDefault(p => p.UniqueName == pair.Key)
                    ?? throw Faults.InvalidArgument($"The plugin set the output '{pair.Key}', which '{api.UniqueName}' does not define as a response property.");
                if (pair.Value != null && !CustomApiTypes.Matches(definition.Type, pair.Value))
                {
                    throw Faults.InvalidArgument(
                        $"The output '{pair.Key}' of '{api.UniqueName}' must be {CustomApiTypes.Describe(definition.Type)}, not {pair.Value.GetType().FullName}.");
                }
            }
        }

        // ---------------------------------------------------------------- helpers

        private Guid? FindIdByKeys(string entityName, KeyAttributeCollection keyAttributes)
        {
            var table = _store.GetTable(entityName);
            if (keyAttributes.Count == 1 && keyAttributes.Keys.First() == table.PrimaryIdAttribute)
            {
                var id = ValueSemantics.Coerce(keyAttributes.Values.First(), Guid.Empty);
                return id is Guid g && table.Rows.ContainsKey(g) ? g : (Guid?)null;
            }

            foreach (var key in table.Keys)
            {
                var value = Table.KeyValueOf(key, keyAttributes);
                if (value != null)
                {
                    return table.TryFindByKey(key, value, out var id) ? id : (Guid?)null;
                }
            }

            throw Faults.InvalidArgument($"No alternate key of {entityName} is made of the columns {DescribeKeys(keyAttributes)} (declare it with DeclareAlternateKey).");
        }

        private static string DescribeKeys(KeyAttributeCollection keys) =>
            string.Join(", ", keys.Select(p => p.Key + "=" + ValueSemantics.Normalize(p.Value)));

        private static T RequiredParameter<T>(PluginExecutionContext context, string name)
        {
            if (!context.InputParameters.Contains(name) || !(context.InputParameters[name] is T value))
            {
                throw Faults.InvalidArgument($"{context.MessageName} needs the parameter '{name}' of type {typeof(T).Name}.");
            }

            return value;
        }
    }

    /// <summary>Custom API type codes (customapirequestparameter.type / customapiresponseproperty.type).</summary>
    internal static class CustomApiTypes
    {
        public static bool Matches(int typeCode, object value)
        {
            switch (typeCode)
            {
                case 0: return value is bool;
                case 1: return value is DateTime;
                case 2: return value is decimal;
                case 3: return value is Entity;
                case 4: return value is EntityCollection;
                case 5: return value is EntityReference;
                case 6: return value is double;
                case 7: return value is int;
                case 8: return value is Money;
                case 9: return value is OptionSetValue;
                case 10: return value is string;
                case 11: return value is string[];
                case 12: return value is Guid;
                default: return false;
            }
        }

        public static string Describe(int typeCode)
        {
            string[] names = { "Boolean", "DateTime", "Decimal", "Entity", "EntityCollection", "EntityReference", "Float", "Integer", "Money", "Picklist", "String", "StringArray", "Guid" };
            return typeCode >= 0 && typeCode < names.Length ? names[typeCode] + " (type " + typeCode + ")" : "type " + typeCode;
        }
    }
}
