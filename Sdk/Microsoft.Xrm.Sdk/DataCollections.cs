using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A list of SDK values. As in the real SDK, only the SDK itself creates plain instances.</summary>
    public class DataCollection<T> : Collection<T>
    {
        internal DataCollection()
        {
        }

        // Copies, so a caller's array (fixed size) never makes the collection fixed size.
        internal DataCollection(IList<T> list)
            : base(list == null ? new List<T>() : new List<T>(list))
        {
        }

        public void AddRange(params T[] items)
        {
            AddRange((IEnumerable<T>)items);
        }

        public void AddRange(IEnumerable<T> items)
        {
            if (items == null)
            {
                return;
            }

            foreach (var item in items)
            {
                Add(item);
            }
        }

        public T[] ToArray()
        {
            var array = new T[Count];
            CopyTo(array, 0);
            return array;
        }
    }

    /// <summary>
    /// A keyed collection of SDK values. The indexer's getter throws <see cref="KeyNotFoundException"/> for a
    /// missing key, its setter adds or replaces; <see cref="Add(TKey, TValue)"/> throws for a duplicate key.
    /// </summary>
    public abstract class DataCollection<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    {
        private readonly IDictionary<TKey, TValue> _items;

        protected DataCollection()
            : this(new Dictionary<TKey, TValue>())
        {
        }

        protected DataCollection(IDictionary<TKey, TValue> dictionary)
        {
            _items = dictionary ?? throw new ArgumentNullException(nameof(dictionary));
        }

        public virtual TValue this[TKey key]
        {
            get { return _items[key]; }
            set { _items[key] = value; }
        }

        public int Count => _items.Count;

        public virtual bool IsReadOnly => _items.IsReadOnly;

        public ICollection<TKey> Keys => _items.Keys;

        public ICollection<TValue> Values => _items.Values;

        public void Add(TKey key, TValue value)
        {
            _items.Add(key, value);
        }

        public void Add(KeyValuePair<TKey, TValue> item)
        {
            _items.Add(item);
        }

        public void AddRange(params KeyValuePair<TKey, TValue>[] items)
        {
            AddRange((IEnumerable<KeyValuePair<TKey, TValue>>)items);
        }

        public void AddRange(IEnumerable<KeyValuePair<TKey, TValue>> items)
        {
            if (items == null)
            {
                return;
            }

            foreach (var item in items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            _items.Clear();
        }

        public bool Contains(TKey key)
        {
            return _items.ContainsKey(key);
        }

        public bool Contains(KeyValuePair<TKey, TValue> key)
        {
            return _items.Contains(key);
        }

        public bool ContainsKey(TKey key)
        {
            return _items.ContainsKey(key);
        }

        public bool TryGetValue(TKey key, out TValue value)
        {
            return _items.TryGetValue(key, out value);
        }

        public void CopyTo(KeyValuePair<TKey, TValue>[] array, int index)
        {
            _items.CopyTo(array, index);
        }

        public bool Remove(TKey key)
        {
            return _items.Remove(key);
        }

        public bool Remove(KeyValuePair<TKey, TValue> item)
        {
            return _items.Remove(item);
        }

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
        {
            return _items.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator()
        {
            return _items.GetEnumerator();
        }
    }

    /// <summary>An entity's attribute values by logical name.</summary>
    public sealed class AttributeCollection : DataCollection<string, object>
    {
    }

    /// <summary>Formatted (display) values of an entity's attributes.</summary>
    public sealed class FormattedValueCollection : DataCollection<string, string>
    {
    }

    /// <summary>Alternate-key values that identify a record.</summary>
    public sealed class KeyAttributeCollection : DataCollection<string, object>
    {
    }

    /// <summary>Details attached to an organization service fault.</summary>
    public sealed class ErrorDetailCollection : DataCollection<string, object>
    {
    }

    /// <summary>Related entities of an entity, by relationship.</summary>
    public sealed class RelatedEntityCollection : DataCollection<Relationship, EntityCollection>
    {
    }

    /// <summary>Input/output parameters, shared variables, request parameters and response results.</summary>
    public class ParameterCollection : DataCollection<string, object>
    {
        public ParameterCollection()
        {
        }

        protected ParameterCollection(IDictionary<string, object> dictionary)
            : base(dictionary)
        {
        }

        /// <summary>True, with the value, when the key is present and its value is a <typeparamref name="T"/>.</summary>
        public bool TryGetValue<T>(string key, out T value)
        {
            // base: an unqualified call would bind to this generic method itself (derived members win overload resolution).
            if (base.TryGetValue(key, out object raw) && raw is T typed)
            {
                value = typed;
                return true;
            }

            value = default(T);
            return false;
        }

        /// <summary>Sets the parameter unless <paramref name="value"/> is null.</summary>
        public void AddOrUpdateIfNotNull(string key, object value)
        {
            if (value != null)
            {
                this[key] = value;
            }
        }
    }

    /// <summary>Pre or post entity images of a plugin step, by image name.</summary>
    public class EntityImageCollection : DataCollection<string, Entity>
    {
        public EntityImageCollection()
        {
        }

        protected EntityImageCollection(IDictionary<string, Entity> dictionary)
            : base(dictionary)
        {
        }
    }

    public sealed class EntityReferenceCollection : DataCollection<EntityReference>
    {
        public EntityReferenceCollection()
        {
        }

        public EntityReferenceCollection(IList<EntityReference> list)
            : base(list)
        {
        }
    }

    public sealed class OptionSetValueCollection : DataCollection<OptionSetValue>
    {
        public OptionSetValueCollection()
        {
        }

        public OptionSetValueCollection(IList<OptionSetValue> list)
            : base(list)
        {
        }
    }

    public sealed class OrganizationRequestCollection : DataCollection<OrganizationRequest>
    {
    }

    public sealed class OrganizationResponseCollection : DataCollection<OrganizationResponse>
    {
    }

    public sealed class ExecuteMultipleResponseItemCollection : DataCollection<ExecuteMultipleResponseItem>
    {
    }
}
