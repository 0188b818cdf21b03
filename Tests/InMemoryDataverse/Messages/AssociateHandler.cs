using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace InMemoryDataverse
{
    /// <summary>Associate and Disassociate over a declared N:N relationship: rows of its intersect table.</summary>
    internal sealed class AssociateHandler : MessageHandler
    {
        private readonly bool _associate;

        public AssociateHandler(InMemoryOrganization organization, bool associate)
            : base(organization)
        {
            _associate = associate;
        }

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var target = RequiredParameter<EntityReference>(context, "Target");
            var relationship = RequiredParameter<Relationship>(context, "Relationship");
            var related = RequiredParameter<EntityReferenceCollection>(context, "RelatedEntities");
            var definition = Metadata.FindManyToMany(relationship.SchemaName)
                ?? throw new NotSupportedException($"The relationship '{relationship.SchemaName}' is not declared to the in-memory organization (DeclareManyToMany).");
            if (Store.Find(target.LogicalName, target.Id) == null)
            {
                throw Faults.DoesNotExist(target.LogicalName, target.Id);
            }

            var targetIsEntity1 = target.LogicalName == definition.Entity1
                && (definition.Entity1 != definition.Entity2 || relationship.PrimaryEntityRole != EntityRole.Referenced);
            foreach (var other in related)
            {
                if (Store.Find(other.LogicalName, other.Id) == null)
                {
                    throw Faults.DoesNotExist(other.LogicalName, other.Id);
                }

                var id1 = targetIsEntity1 ? target.Id : other.Id;
                var id2 = targetIsEntity1 ? other.Id : target.Id;
                Link(definition, id1, id2);
            }

            return _associate ? (OrganizationResponse)new AssociateResponse() : new DisassociateResponse();
        }

        private void Link(ManyToManyRelationship definition, Guid id1, Guid id2)
        {
            var existing = Store.Rows(definition.IntersectEntity).FirstOrDefault(r =>
                r.GetAttributeValue<Guid>(definition.Entity1Attribute) == id1 && r.GetAttributeValue<Guid>(definition.Entity2Attribute) == id2);
            if (!_associate)
            {
                if (existing != null)
                {
                    Store.Remove(definition.IntersectEntity, existing.Id);
                }

                return;
            }

            if (existing != null)
            {
                throw Faults.Duplicate(definition.IntersectEntity, $"({definition.Entity1Attribute}:{id1}, {definition.Entity2Attribute}:{id2})");
            }

            var row = new Entity(definition.IntersectEntity, Guid.NewGuid());
            row.Attributes[definition.Entity1Attribute] = id1;
            row.Attributes[definition.Entity2Attribute] = id2;
            row.Attributes[Store.GetTable(definition.IntersectEntity).PrimaryIdAttribute] = row.Id;
            row.RowVersion = Store.NextRowVersion();
            Store.Insert(row);
        }
    }
}
