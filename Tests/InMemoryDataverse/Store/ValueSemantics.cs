using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// How Dataverse compares column values: strings case-insensitively (the default SQL collation), lookups by id,
    /// choices by number, money by amount. Also deep clones values so nothing stored can be changed from outside.
    /// </summary>
    internal static class ValueSemantics
    {
        /// <summary>The comparable form of a value: string (case kept), decimal, Guid, DateTime, or null.</summary>
        public static object? Normalize(object? value)
        {
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case Guid g: return g;
                case EntityReference r: return r.Id;
                case Entity e: return e.Id;
                case OptionSetValue o: return (decimal)o.Value;
                case Money m: return m.Value;
                case bool b: return b ? 1m : 0m;
                case int i: return (decimal)i;
                case long l: return (decimal)l;
                case decimal d: return d;
                case double db: return double.IsNaN(db) || double.IsInfinity(db) ? (object)db : (decimal)db;
                case float f: return (decimal)f;
                case DateTime dt: return dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt;
                case Enum en: return Convert.ToDecimal(en, CultureInfo.InvariantCulture);
                case AliasedValue a: return Normalize(a.Value);
                default: return value;
            }
        }

        /// <summary>Brings a condition value (often a string from FetchXML) to the kind of the column value.</summary>
        public static object? Coerce(object? conditionValue, object? columnValue)
        {
            var normalized = Normalize(conditionValue);
            if (normalized is string s && columnValue != null && !(columnValue is string))
            {
                var column = Normalize(columnValue);
                switch (column)
                {
                    case Guid _ when Guid.TryParse(s, out var g): return g;
                    case decimal _ when s == "true": return 1m;
                    case decimal _ when s == "false": return 0m;
                    case decimal _ when decimal.TryParse(s, NumberStyles.Any, CultureInfo.InvariantCulture, out var d): return d;
                    case DateTime _ when DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt): return dt;
                }
            }

            return normalized;
        }

        public static bool AreEqual(object? columnValue, object? conditionValue)
        {
            // Fast paths for the common typed pairs; no boxing.
            switch (columnValue)
            {
                case Guid g when conditionValue is Guid cg: return g == cg;
                case EntityReference r when conditionValue is Guid rg: return r.Id == rg;
                case EntityReference r2 when conditionValue is EntityReference cr: return r2.Id == cr.Id;
                case OptionSetValue o when conditionValue is int oi: return o.Value == oi;
                case OptionSetValue o2 when conditionValue is OptionSetValue co: return o2.Value == co.Value;
                case int i when conditionValue is int ci: return i == ci;
                case bool flag when conditionValue is bool conditionFlag: return flag == conditionFlag;
            }

            if (columnValue is string cs)
            {
                return conditionValue is string vs ? string.Equals(cs, vs, StringComparison.OrdinalIgnoreCase)
                    : conditionValue != null && string.Equals(cs, Convert.ToString(Normalize(conditionValue), CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
            }

            var a = Normalize(columnValue);
            var b = Coerce(conditionValue, columnValue);
            if (a == null || b == null)
            {
                return a == null && b == null;
            }

            return a.Equals(b);
        }

        /// <summary>Orders values as SQL does for one type; nulls first (ascending).</summary>
        public static int Compare(object? columnValue, object? conditionValue)
        {
            switch (columnValue)
            {
                case string cs when conditionValue is string vs: return string.Compare(cs, vs, StringComparison.OrdinalIgnoreCase);
                case DateTime d when conditionValue is DateTime cd && d.Kind != DateTimeKind.Local && cd.Kind != DateTimeKind.Local: return d.CompareTo(cd);
                case int i when conditionValue is int ci: return i.CompareTo(ci);
                case decimal m when conditionValue is decimal cm: return m.CompareTo(cm);
            }

            var a = Normalize(columnValue);
            var b = Coerce(conditionValue, columnValue);
            if (a == null || b == null)
            {
                return a == null ? (b == null ? 0 : -1) : 1;
            }

            if (a is string sa && b is string sb)
            {
                return string.Compare(sa, sb, StringComparison.OrdinalIgnoreCase);
            }

            if (a.GetType() == b.GetType() && a is IComparable comparable)
            {
                return comparable.CompareTo(b);
            }

            return string.Compare(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The value used in hash indexes: case-insensitive for strings, as Dataverse's keys are.</summary>
        public static string IndexKey(object? value)
        {
            var normalized = Normalize(value);
            switch (normalized)
            {
                case null: return "\u0000";
                case string s: return "s:" + s.ToUpperInvariant();
                case decimal d: return "n:" + d.ToString(CultureInfo.InvariantCulture);
                case Guid g: return "g:" + g.ToString("N");
                case DateTime dt: return "d:" + dt.Ticks.ToString(CultureInfo.InvariantCulture);
                default: return "o:" + Convert.ToString(normalized, CultureInfo.InvariantCulture);
            }
        }

        public static object? CloneValue(object? value)
        {
            switch (value)
            {
                case null: return null;
                case EntityReference r:
                    var copy = new EntityReference(r.LogicalName, r.Id) { Name = r.Name, RowVersion = r.RowVersion };
                    if (r.KeyAttributes != null && r.KeyAttributes.Count > 0)
                    {
                        foreach (var pair in r.KeyAttributes)
                        {
                            copy.KeyAttributes[pair.Key] = pair.Value;
                        }
                    }

                    return copy;
                case OptionSetValue o: return new OptionSetValue(o.Value);
                case Money m: return new Money(m.Value);
                case Entity e: return CloneEntity(e);
                case EntityCollection c:
                    var collection = new EntityCollection(c.Entities.Select(CloneEntity).ToList())
                    {
                        EntityName = c.EntityName,
                        MoreRecords = c.MoreRecords,
                        PagingCookie = c.PagingCookie,
                        TotalRecordCount = c.TotalRecordCount,
                        TotalRecordCountLimitExceeded = c.TotalRecordCountLimitExceeded,
                        MinActiveRowVersion = c.MinActiveRowVersion,
                    };
                    return collection;
                case OptionSetValueCollection oc: return new OptionSetValueCollection(oc.Select(o => new OptionSetValue(o.Value)).ToList());
                case EntityReferenceCollection rc: return new EntityReferenceCollection(rc.Select(r => (EntityReference)CloneValue(r)!).ToList());
                case AliasedValue a: return new AliasedValue(a.EntityLogicalName, a.AttributeLogicalName, CloneValue(a.Value));
                case string[] sa: return (string[])sa.Clone();
                default: return value;
            }
        }

        /// <summary>A new Entity with copies of a stored row's values, for code that changes it.</summary>
        public static Entity CloneEntity(StoredRow source) => source.ToEntity();

        public static Entity CloneEntity(Entity source)
        {
            var clone = new Entity(source.LogicalName) { Id = source.Id, RowVersion = source.RowVersion };
            foreach (var pair in source.Attributes)
            {
                clone.Attributes[pair.Key] = CloneValue(pair.Value);
            }

            foreach (var pair in source.FormattedValues)
            {
                clone.FormattedValues[pair.Key] = pair.Value;
            }

            if (source.KeyAttributes != null)
            {
                foreach (var pair in source.KeyAttributes)
                {
                    clone.KeyAttributes[pair.Key] = pair.Value;
                }
            }

            return clone;
        }

        public static IEnumerable<object?> Flatten(IEnumerable values)
        {
            foreach (var value in values)
            {
                if (value is IEnumerable inner && !(value is string))
                {
                    foreach (var item in inner)
                    {
                        yield return item;
                    }
                }
                else
                {
                    yield return value;
                }
            }
        }
    }
}
