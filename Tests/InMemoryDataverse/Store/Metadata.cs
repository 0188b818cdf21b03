using System;
using System.Collections.Generic;
using System.Linq;

namespace InMemoryDataverse
{
    /// <summary>An alternate key declared to the harness (Dataverse: EntityKeyMetadata).</summary>
    public sealed class AlternateKey
    {
        internal AlternateKey(string entityName, string name, IReadOnlyList<string> attributes)
        {
            EntityName = entityName;
            Name = name;
            Attributes = attributes;
        }

        public string EntityName { get; }

        public string Name { get; }

        /// <summary>Key columns, sorted, so a key built from any attribute order finds the same index entry.</summary>
        public IReadOnlyList<string> Attributes { get; }
    }

    /// <summary>An N:N relationship declared to the harness, stored as rows of its intersect table.</summary>
    public sealed class ManyToManyRelationship
    {
        internal ManyToManyRelationship(string name, string intersectEntity, string entity1, string entity1Attribute, string entity2, string entity2Attribute)
        {
            Name = name;
            IntersectEntity = intersectEntity;
            Entity1 = entity1;
            Entity1Attribute = entity1Attribute;
            Entity2 = entity2;
            Entity2Attribute = entity2Attribute;
        }

        public string Name { get; }
        public string IntersectEntity { get; }
        public string Entity1 { get; }
        public string Entity1Attribute { get; }
        public string Entity2 { get; }
        public string Entity2Attribute { get; }
    }

    /// <summary>
    /// What the harness knows about tables: which are activities (primary key <c>activityid</c>), alternate keys and
    /// N:N relationships. Everything else is schemaless: any column can be written, as FakeXrmEasy does without
    /// early-bound metadata.
    /// </summary>
    internal sealed class MetadataRegistry
    {
        // Dataverse's activity tables whose primary key is activityid. msdyn_transcript is NOT an activity.
        private static readonly string[] DefaultActivityTables =
        {
            "activitypointer", "phonecall", "email", "appointment", "task", "letter", "fax",
            "msdyn_ocliveworkitem", "msdyn_ocsession", "socialactivity", "recurringappointmentmaster",
        };

        private readonly HashSet<string> _activityTables = new HashSet<string>(DefaultActivityTables, StringComparer.Ordinal);
        private readonly Dictionary<string, List<AlternateKey>> _keysByEntity = new Dictionary<string, List<AlternateKey>>(StringComparer.Ordinal);
        private readonly Dictionary<string, ManyToManyRelationship> _manyToMany = new Dictionary<string, ManyToManyRelationship>(StringComparer.Ordinal);

        private readonly Dictionary<(string Entity, int State), int> _defaultStatus = new Dictionary<(string, int), int>();

        public void DeclareActivityTable(string entityName) => _activityTables.Add(entityName);

        public void DeclareDefaultStatus(string entityName, int state, int status) => _defaultStatus[(entityName, state)] = status;

        /// <summary>
        /// The status the system sets when only the state changes ("Behavior of specialized update operations"): as
        /// declared, else the first status of a custom table's state (Active 0 -> 1, Inactive 1 -> 2); null if unknown.
        /// </summary>
        public int? DefaultStatus(string entityName, int state) =>
            _defaultStatus.TryGetValue((entityName, state), out var status) ? status
            : state == 0 ? 1
            : state == 1 ? 2
            : (int?)null;

        public bool IsActivity(string entityName) => _activityTables.Contains(entityName);

        public string PrimaryIdAttribute(string entityName)
        {
            if (_activityTables.Contains(entityName))
            {
                return "activityid";
            }

            return entityName + "id";
        }

        public AlternateKey DeclareAlternateKey(string entityName, string keyName, string[] attributes)
        {
            if (attributes == null || attributes.Length == 0)
            {
                throw new ArgumentException("An alternate key needs at least one attribute.", nameof(attributes));
            }

            var key = new AlternateKey(entityName, keyName, attributes.OrderBy(a => a, StringComparer.Ordinal).ToArray());
            if (!_keysByEntity.TryGetValue(entityName, out var keys))
            {
                keys = new List<AlternateKey>();
                _keysByEntity.Add(entityName, keys);
            }

            keys.RemoveAll(k => k.Name == keyName);
            keys.Add(key);
            return key;
        }

        public IReadOnlyList<AlternateKey> KeysOf(string entityName) =>
            _keysByEntity.TryGetValue(entityName, out var keys) ? keys : (IReadOnlyList<AlternateKey>)Array.Empty<AlternateKey>();

        public void DeclareManyToMany(ManyToManyRelationship relationship) => _manyToMany[relationship.Name] = relationship;

        public bool IsIntersectEntity(string entityName) => _manyToMany.Values.Any(r => r.IntersectEntity == entityName);

        public ManyToManyRelationship? FindManyToMany(string name) => _manyToMany.TryGetValue(name, out var r) ? r : null;
    }
}
