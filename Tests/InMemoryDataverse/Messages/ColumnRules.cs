using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// Column metadata from the loaded solution's Entity.xml, enforced on Create and Update as Dataverse does: a text
    /// longer than the column's MaxLength fails with 0x80044331 (StringLengthTooLong, "A validation error occurred. The
    /// length of the '…' attribute of the '…' entity exceeded the maximum allowed length of '…'."), and a value of the
    /// wrong kind for the column's type fails with 0x80040203 ("Incorrect attribute value type …"). Tables and columns the
    /// solution does not declare stay schemaless.
    /// </summary>
    internal static class ColumnRules
    {
        public static void Check(InMemoryOrganization organization, Entity row, IEnumerable<string> writtenColumns)
        {
            if (!organization.LoadedTables.TryGetValue(row.LogicalName, out var table))
            {
                return;
            }

            foreach (var name in writtenColumns)
            {
                var column = table.Column(name);
                if (column == null || !row.Attributes.TryGetValue(name, out var value) || value == null)
                {
                    continue;
                }

                if (!Fits(column.Type, value))
                {
                    throw Faults.Create(ErrorCodes.InvalidArgument,
                        $"Incorrect attribute value type {value.GetType().FullName} for the '{name}' attribute ({column.Type}) of the '{row.LogicalName}' entity.");
                }

                if (column.IsText && column.MaxLength.HasValue && value is string text && text.Length > column.MaxLength.Value)
                {
                    throw Faults.Create(ErrorCodes.StringLengthTooLong,
                        $"A validation error occurred. The length of the '{name}' attribute of the '{row.LogicalName}' entity exceeded the maximum allowed length of '{column.MaxLength.Value}'.");
                }
            }
        }

        private static bool Fits(string type, object value) => type switch
        {
            "nvarchar" or "ntext" or "memo" => value is string,
            "lookup" or "owner" or "customer" => value is EntityReference,
            "picklist" or "state" or "status" => value is OptionSetValue,
            "datetime" => value is DateTime,
            "int" => value is int,
            "bigint" => value is long,
            "bit" => value is bool,
            "money" => value is Money,
            "decimal" => value is decimal,
            "float" => value is double,
            "uniqueidentifier" or "primarykey" => value is Guid,
            "multiselectpicklist" => value is OptionSetValueCollection,
            _ => true,
        };
    }
}
