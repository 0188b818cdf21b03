using System;
using System.Collections.Generic;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>
    /// A record: logical name, id and attribute values. The indexer's getter throws
    /// <see cref="KeyNotFoundException"/> for a missing attribute; <see cref="GetAttributeValue{T}"/> returns
    /// default(T) instead. <see cref="Id"/> is its own value: setting an attribute named like the primary key
    /// does not change it, as in the real SDK's late-bound Entity.
    /// </summary>
    [DataContract(Name = "Entity", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public class Entity : IExtensibleDataObject
    {
        private AttributeCollection _attributes;
        private KeyAttributeCollection _keyAttributes;
        private FormattedValueCollection _formattedValues;
        private RelatedEntityCollection _relatedEntities;
        private Guid _id;

        public Entity()
        {
        }

        public Entity(string entityName)
        {
            LogicalName = entityName;
        }

        public Entity(string entityName, Guid id)
        {
            LogicalName = entityName;
            _id = id;
        }

        public Entity(string entityName, string keyName, object keyValue)
        {
            LogicalName = entityName;
            KeyAttributes[keyName] = keyValue;
        }

        public Entity(string entityName, KeyAttributeCollection keyAttributes)
        {
            LogicalName = entityName;
            _keyAttributes = keyAttributes;
        }

        [DataMember]
        public string LogicalName { get; set; }

        [DataMember]
        public virtual Guid Id
        {
            get { return _id; }
            set { _id = value; }
        }

        [DataMember]
        public AttributeCollection Attributes
        {
            get { return _attributes ?? (_attributes = new AttributeCollection()); }
            set { _attributes = value; }
        }

        [DataMember]
        public KeyAttributeCollection KeyAttributes
        {
            get { return _keyAttributes ?? (_keyAttributes = new KeyAttributeCollection()); }
            set { _keyAttributes = value; }
        }

        [DataMember]
        public FormattedValueCollection FormattedValues
        {
            get { return _formattedValues ?? (_formattedValues = new FormattedValueCollection()); }
        }

        [DataMember]
        public RelatedEntityCollection RelatedEntities
        {
            get { return _relatedEntities ?? (_relatedEntities = new RelatedEntityCollection()); }
        }

        [DataMember]
        public EntityState? EntityState { get; set; }

        [DataMember]
        public string RowVersion { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        public object this[string attributeName]
        {
            get { return Attributes[attributeName]; }
            set { Attributes[attributeName] = value; }
        }

        public bool Contains(string attributeName)
        {
            return Attributes.Contains(attributeName);
        }

        /// <summary>The value cast to <typeparamref name="T"/>, or default(T) when the attribute is missing or null.</summary>
        public virtual T GetAttributeValue<T>(string attributeLogicalName)
        {
            if (!Attributes.TryGetValue(attributeLogicalName, out object value) || value == null)
            {
                return default(T);
            }

            return (T)value;
        }

        /// <summary>True, with the value, when the attribute is present and holds a <typeparamref name="T"/>.</summary>
        public bool TryGetAttributeValue<T>(string attributeLogicalName, out T value)
        {
            if (Attributes.TryGetValue(attributeLogicalName, out object raw) && raw is T typed)
            {
                value = typed;
                return true;
            }

            value = default(T);
            return false;
        }

        public EntityReference ToEntityReference()
        {
            var reference = new EntityReference(LogicalName, Id);
            if (_keyAttributes != null && _keyAttributes.Count > 0)
            {
                reference.KeyAttributes = _keyAttributes;
            }

            reference.RowVersion = RowVersion;
            return reference;
        }

        /// <summary>A shallow copy of this entity as <typeparamref name="T"/> (the same logical name is required).</summary>
        public T ToEntity<T>()
            where T : Entity
        {
            if (typeof(T) == typeof(Entity))
            {
                var copy = new Entity();
                ShallowCopyTo(copy);
                return (T)copy;
            }

            var target = Activator.CreateInstance<T>();
            if (!string.IsNullOrEmpty(target.LogicalName) && !string.IsNullOrEmpty(LogicalName)
                && !string.Equals(target.LogicalName, LogicalName, StringComparison.Ordinal))
            {
                throw new NotSupportedException(
                    "Cannot convert an entity of logical name '" + LogicalName + "' to " + typeof(T).Name + " ('" + target.LogicalName + "').");
            }

            ShallowCopyTo(target);
            return target;
        }

        protected virtual void SetAttributeValue(string attributeLogicalName, object value)
        {
            Attributes[attributeLogicalName] = value;
        }

        protected virtual string GetFormattedAttributeValue(string attributeLogicalName)
        {
            return FormattedValues.TryGetValue(attributeLogicalName, out string formatted) ? formatted : null;
        }

        internal void ShallowCopyTo(Entity target)
        {
            if (string.IsNullOrEmpty(target.LogicalName))
            {
                target.LogicalName = LogicalName;
            }

            target.Id = Id;
            target.Attributes = Attributes;
            target.KeyAttributes = KeyAttributes;
            target._formattedValues = _formattedValues;
            target._relatedEntities = _relatedEntities;
            target.EntityState = EntityState;
            target.RowVersion = RowVersion;
            target.ExtensionData = ExtensionData;
        }
    }

    /// <summary>A reference to a record by logical name and id (or alternate key).</summary>
    [DataContract(Name = "EntityReference", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public sealed class EntityReference : IExtensibleDataObject
    {
        private KeyAttributeCollection _keyAttributes;

        public EntityReference()
        {
        }

        public EntityReference(string logicalName)
        {
            LogicalName = logicalName;
        }

        public EntityReference(string logicalName, Guid id)
        {
            LogicalName = logicalName;
            Id = id;
        }

        public EntityReference(string logicalName, string keyName, object keyValue)
        {
            LogicalName = logicalName;
            KeyAttributes[keyName] = keyValue;
        }

        public EntityReference(string logicalName, KeyAttributeCollection keyAttributeCollection)
        {
            LogicalName = logicalName;
            _keyAttributes = keyAttributeCollection;
        }

        [DataMember]
        public Guid Id { get; set; }

        [DataMember]
        public string LogicalName { get; set; }

        [DataMember]
        public string Name { get; set; }

        [DataMember]
        public KeyAttributeCollection KeyAttributes
        {
            get { return _keyAttributes ?? (_keyAttributes = new KeyAttributeCollection()); }
            set { _keyAttributes = value; }
        }

        [DataMember]
        public string RowVersion { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        /// <summary>Equal when logical name (ordinal) and id are equal; the display name does not count.</summary>
        public override bool Equals(object obj)
        {
            var other = obj as EntityReference;
            if (other == null)
            {
                return false;
            }

            return Id == other.Id && string.Equals(LogicalName, other.LogicalName, StringComparison.Ordinal);
        }

        public override int GetHashCode()
        {
            return Id.GetHashCode() ^ (LogicalName == null ? 0 : StringComparer.Ordinal.GetHashCode(LogicalName));
        }
    }
}
