using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// One stored instance for equal choices and plain lookups (no row version, no key attributes): rows of a table
    /// mostly point at the same few users, owners and status values, and stored values never leave the store uncopied,
    /// so they can be shared. Bounded: when it holds many distinct values it starts again (sharing is only a saving).
    /// Called under the store's lock.
    /// </summary>
    internal sealed class SharedValues
    {
        private const int MaxShared = 10_000;
        private readonly Dictionary<int, OptionSetValue> _choices = new Dictionary<int, OptionSetValue>();
        private readonly Dictionary<(string?, Guid, string?), EntityReference> _references = new Dictionary<(string?, Guid, string?), EntityReference>();

        /// <summary>The value to store for a private copy (the copy itself, or an equal shared instance).</summary>
        public object Share(object value)
        {
            switch (value)
            {
                case OptionSetValue choice: return Choice(choice.Value, choice);
                case EntityReference reference when IsPlain(reference): return Reference(reference, reference);
                default: return value;
            }
        }

        /// <summary>The value to store for a caller's value: an equal shared instance, else a private copy.</summary>
        public object ShareCopyOf(object value)
        {
            switch (value)
            {
                case OptionSetValue choice: return Choice(choice.Value, null);
                case EntityReference reference when IsPlain(reference): return Reference(reference, null);
                default: return ValueSemantics.CloneValue(value)!;
            }
        }

        private static bool IsPlain(EntityReference reference) => reference.RowVersion == null && reference.KeyAttributes.Count == 0;

        private OptionSetValue Choice(int value, OptionSetValue? copy)
        {
            if (!_choices.TryGetValue(value, out var shared))
            {
                if (_choices.Count >= MaxShared)
                {
                    _choices.Clear();
                }

                shared = copy ?? new OptionSetValue(value);
                _choices.Add(value, shared);
            }

            return shared;
        }

        private EntityReference Reference(EntityReference reference, EntityReference? copy)
        {
            var key = (reference.LogicalName, reference.Id, reference.Name);
            if (!_references.TryGetValue(key, out var shared))
            {
                if (_references.Count >= MaxShared)
                {
                    _references.Clear();
                }

                shared = copy ?? new EntityReference(reference.LogicalName, reference.Id) { Name = reference.Name };
                _references.Add(key, shared);
            }

            return shared;
        }
    }
}
