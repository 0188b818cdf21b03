using System.Xml.Linq;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>
/// Every system view (Entities/&lt;table&gt;/SavedQueries/{id}.xml) and form (Entities/&lt;table&gt;/FormXml/&lt;type&gt;/{id}.xml):
/// the file holds one view or form whose id is its file name; every column a view's fetchxml or layoutxml names, and
/// every column a form control is bound to, is a column of its table; each cell of a grid is fetched; at most one
/// default view of each kind and one quick find view; and no view or form shows a column that
/// <see cref="NeverShown"/> lists. The columns of a table this solution does not define (msdyn_ocliveworkitem carries
/// only what we add) are the platform's, so only our own tables' columns are checked.
/// </summary>
public static class ViewAndFormChecks
{
    /// <summary>savedquery querytype values that real exports of a table carry.</summary>
    public static readonly IReadOnlyDictionary<int, string> QueryTypes = new Dictionary<int, string>
    {
        [0] = "public view", [1] = "advanced find view", [2] = "associated view", [4] = "quick find view",
        [64] = "lookup view", [8192] = "offline template", [1048576] = "copilot view",
    };

    /// <summary>The folders `pac solution unpack` writes under FormXml, one per form type.</summary>
    public static readonly IReadOnlyList<string> FormTypes = new[] { "main", "quick", "card", "quickCreate" };

    /// <summary>
    /// Columns that no view and no form may show, with the reason. Nothing of an emergency call is kept as history and no
    /// phone number shows once the callback lease is over. The clean-up (emc_ReleaseExpiredCallbackLeases) clears these
    /// columns only on its next run after the lease ends, so a view or form showing them would show the number until then.
    /// The pool's own numbers (emc_callbacknumber.emc_number) may show: they are the organization's numbers.
    /// </summary>
    public static readonly IReadOnlyDictionary<(string Table, string Column), string> NeverShown = new Dictionary<(string, string), string>
    {
        [("emc_emergencycall", "emc_dialednumber")] = "the number the agent dialed stays on the call until the clean-up after the callback window",
        [("emc_emergencycall", "emc_callbacknumberid")] = "this lookup displays the leased pool number, and stays on the call until the clean-up after the callback window",
        [("emc_emergencycall", "emc_location")] = "the caller's location stays on the call until the clean-up after the callback window",
        [("emc_callbacknumber", "emc_emergencycallid")] = "it stays on an expired lease until the clean-up releases it, and beside the number it names the call the number was leased to",
        [("emc_callbacknumber", "emc_agentid")] = "it stays on an expired lease until the clean-up releases it, and beside the number it names whose call the number was leased to",
    };

    private sealed record ColumnUse(string Table, string Column, string Where);

    public static void Run(SolutionSource source, CheckReport report)
    {
        var tables = source.Entities.GroupBy(e => e.LogicalName).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        foreach (var table in source.Entities)
        {
            foreach (var view in table.Views) CheckView(table, view, tables, report);
            foreach (var form in table.Forms) CheckForm(table, form, tables, report);
            CheckOneDefaultOfEachKind(table, report);
        }
        CheckRelatedTabs(source, report);
    }

    /// <summary>
    /// A one-to-many relationship shows the referencing rows in a Related tab of the referenced row (its associated
    /// view, filtered by the lookup). Where that lookup is one that <see cref="NeverShown"/> lists, the tab would pair a
    /// call or an agent with its leased number after the lease, so the relationship must say DoNotDisplay.
    /// </summary>
    private static void CheckRelatedTabs(SolutionSource source, CheckReport report)
    {
        foreach (var file in source.RelationshipFiles)
        {
            foreach (var relationship in file.Root.Elements("EntityRelationship"))
            {
                var referencing = relationship.Element("ReferencingEntityName")?.Value.Trim().ToLowerInvariant() ?? "";
                var lookup = relationship.Element("ReferencingAttributeName")?.Value.Trim().ToLowerInvariant() ?? "";
                if (!NeverShown.TryGetValue((referencing, lookup), out var why)) continue;
                foreach (var option in relationship.Descendants("NavPaneDisplayOption").Where(o => o.Value.Trim() != "DoNotDisplay"))
                    report.Fail(file.RelativePath, $"relationship {(string?)relationship.Attribute("Name")}: NavPaneDisplayOption is '{option.Value.Trim()}', must be DoNotDisplay: its Related tab lists {referencing} rows by {lookup}, and {why}");
            }
        }
    }

    private static void CheckView(EntityDefinition table, ViewDefinition view, IReadOnlyDictionary<string, EntityDefinition> tables, CheckReport report)
    {
        var file = view.File.RelativePath;
        if (!IsOneComponentFile(view.File, "savedqueries", "savedquery", file, report) || view.Element == null) return;
        CheckIdAndName(file, "savedqueryid", view.Id, view.Name, report);
        if (view.QueryType is not { } queryType || !QueryTypes.ContainsKey(queryType))
            report.Fail(file, $"querytype '{view.Element.Element("querytype")?.Value}' is not one a table's views have ({string.Join(", ", QueryTypes.Select(q => $"{q.Key} {q.Value}"))})");
        if (view.IsQuickFind != (view.QueryType == 4))
            report.Fail(file, "isquickfindquery is 1 exactly for the quick find view (querytype 4)");

        var entity = view.Fetch?.Element("entity");
        if (entity == null)
        {
            report.Fail(file, "no <fetchxml><fetch><entity>: a view says what it reads");
            return;
        }
        var entityName = (string?)entity.Attribute("name") ?? "";
        if (!string.Equals(entityName, table.LogicalName, StringComparison.Ordinal))
            report.Fail(file, $"fetchxml reads '{entityName}', but the view belongs to {table.LogicalName}");

        var uses = new List<ColumnUse>();
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var fetched = new HashSet<string>(StringComparer.Ordinal);
        CollectFetchUses(entity, table.LogicalName, alias: null, uses, aliases, fetched);
        if (view.Grid != null) CollectGridUses(table, view.Grid, aliases, fetched, uses, file, report);
        CheckUses(uses, tables, file, report);
    }

    /// <summary>The columns an &lt;entity&gt; or &lt;link-entity&gt; names: attributes, orders, conditions, and the join's from/to.</summary>
    private static void CollectFetchUses(XElement node, string tableName, string? alias, List<ColumnUse> uses,
        Dictionary<string, string> aliases, HashSet<string> fetched)
    {
        foreach (var attribute in node.Elements("attribute"))
        {
            var name = (string?)attribute.Attribute("name") ?? "";
            uses.Add(new ColumnUse(tableName, name, "fetchxml attribute"));
            fetched.Add(alias == null ? name : alias + "." + name);
        }
        foreach (var order in node.Elements("order"))
            uses.Add(new ColumnUse(tableName, (string?)order.Attribute("attribute") ?? "", "fetchxml order"));
        foreach (var condition in node.Elements("filter").SelectMany(f => f.DescendantsAndSelf("filter")).SelectMany(f => f.Elements("condition")))
        {
            var conditionAlias = (string?)condition.Attribute("entityname");
            var conditionTable = conditionAlias != null && aliases.TryGetValue(conditionAlias, out var aliased) ? aliased : tableName;
            uses.Add(new ColumnUse(conditionTable, (string?)condition.Attribute("attribute") ?? "", "fetchxml condition"));
        }
        foreach (var link in node.Elements("link-entity"))
        {
            var linkTable = (string?)link.Attribute("name") ?? "";
            var linkAlias = (string?)link.Attribute("alias") ?? linkTable;
            aliases[linkAlias] = linkTable;
            uses.Add(new ColumnUse(linkTable, (string?)link.Attribute("from") ?? "", $"link-entity {linkAlias} from"));
            uses.Add(new ColumnUse(tableName, (string?)link.Attribute("to") ?? "", $"link-entity {linkAlias} to"));
            CollectFetchUses(link, linkTable, linkAlias, uses, aliases, fetched);
        }
    }

    /// <summary>The grid's row id (the primary key), its jump column and its cells; a cell shows only what the fetch reads.</summary>
    private static void CollectGridUses(EntityDefinition table, XElement grid, IReadOnlyDictionary<string, string> aliases,
        IReadOnlySet<string> fetched, List<ColumnUse> uses, string file, CheckReport report)
    {
        var row = grid.Element("row");
        var rowId = (string?)row?.Attribute("id");
        var primaryKey = table.Columns.FirstOrDefault(c => c.Type == "primarykey")?.LogicalName;
        if (table.IsDefinedHere && primaryKey != null && !string.Equals(rowId, primaryKey, StringComparison.Ordinal))
            report.Fail(file, $"layoutxml row id is '{rowId}', expected the primary key {primaryKey}");
        if ((string?)grid.Attribute("jump") is { Length: > 0 } jump) uses.Add(new ColumnUse(table.LogicalName, jump, "layoutxml jump"));
        foreach (var cell in row?.Elements("cell") ?? Enumerable.Empty<XElement>())
        {
            var name = (string?)cell.Attribute("name") ?? "";
            var dot = name.IndexOf('.');
            if (dot > 0 && aliases.TryGetValue(name.Substring(0, dot), out var linkTable))
                uses.Add(new ColumnUse(linkTable, name.Substring(dot + 1), "layoutxml cell"));
            else
                uses.Add(new ColumnUse(table.LogicalName, name, "layoutxml cell"));
            if (!fetched.Contains(name))
                report.Fail(file, $"layoutxml cell {name} is not an attribute of the fetchxml: the grid would show it empty");
        }
    }

    private static void CheckForm(EntityDefinition table, FormDefinition form, IReadOnlyDictionary<string, EntityDefinition> tables, CheckReport report)
    {
        var file = form.File.RelativePath;
        if (!FormTypes.Contains(form.Type, StringComparer.Ordinal))
            report.Fail(file, $"form type folder '{form.Type}' is not one `pac solution unpack` writes ({string.Join(", ", FormTypes)})");
        if (!IsOneComponentFile(form.File, "forms", "systemform", file, report) || form.Element == null) return;
        CheckIdAndName(file, "formid", form.Id, form.Name, report);
        if (form.Element.Element("form") == null)
        {
            report.Fail(file, "no <form>: a system form carries its layout");
            return;
        }

        var uses = form.BoundControls.Select(c => new ColumnUse(table.LogicalName, (string?)c.Attribute("datafieldname") ?? "", $"control {(string?)c.Attribute("id")}")).ToList();
        CheckUses(uses, tables, file, report);
        foreach (var clash in form.Element.Element("form")!.Descendants()
                     .Where(e => e.Name.LocalName is "tab" or "section" or "cell" or "control")
                     .Select(e => (string?)e.Attribute("id")).Where(id => !string.IsNullOrEmpty(id))
                     .GroupBy(id => id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            report.Fail(file, $"id {clash.Key} is used {clash.Count()} times in the form; tab, section, cell and control ids are unique");
    }

    private static bool IsOneComponentFile(SourceXml file, string root, string child, string path, CheckReport report)
    {
        if (file.Root.Name.LocalName != root)
        {
            report.Fail(path, $"root element is <{file.Root.Name.LocalName}>, expected <{root}>");
            return false;
        }
        var count = file.Root.Elements(child).Count();
        if (count != 1) report.Fail(path, $"holds {count} <{child}> elements; an unpacked file holds exactly one");
        return count == 1;
    }

    private static void CheckIdAndName(string file, string idElement, Guid id, string? name, CheckReport report)
    {
        if (id == Guid.Empty)
            report.Fail(file, $"{idElement} is missing or not a GUID");
        else if (!string.Equals(Path.GetFileNameWithoutExtension(file).Trim('{', '}'), id.ToString(), StringComparison.OrdinalIgnoreCase))
            report.Fail(file, $"file name does not match {idElement} {id}");
        if (string.IsNullOrWhiteSpace(name))
            report.Fail(file, "no LocalizedNames/LocalizedName: admins see a view or form by its name");
    }

    /// <summary>Columns of our own tables must exist; no column that <see cref="NeverShown"/> lists may be named at all.</summary>
    private static void CheckUses(IEnumerable<ColumnUse> uses, IReadOnlyDictionary<string, EntityDefinition> tables, string file, CheckReport report)
    {
        foreach (var use in uses.Distinct())
        {
            var column = use.Column.ToLowerInvariant();
            if (tables.TryGetValue(use.Table, out var table) && table.IsDefinedHere && table.Column(column) == null)
                report.Fail(file, $"{use.Where} {use.Column} is not a column of {table.LogicalName} (Entities/{table.FolderName}/Entity.xml)");
            if (NeverShown.TryGetValue((use.Table.ToLowerInvariant(), column), out var why))
                report.Fail(file, $"{use.Where} {use.Column} of {use.Table} must not be in a view or form: {why}");
        }
    }

    /// <summary>The platform opens the default view of each kind; two defaults, or two quick find views, leave it guessing.</summary>
    private static void CheckOneDefaultOfEachKind(EntityDefinition table, CheckReport report)
    {
        foreach (var kind in table.Views.Where(v => v.IsDefault && v.QueryType.HasValue).GroupBy(v => v.QueryType!.Value).Where(g => g.Count() > 1))
            report.Fail(kind.Last().File.RelativePath, $"{table.LogicalName} has {kind.Count()} default views of querytype {kind.Key} ({string.Join(", ", kind.Select(v => v.Name))}); one is the default");
        var quickFinds = table.Views.Where(v => v.QueryType == 4).ToList();
        if (quickFinds.Count > 1)
            report.Fail(quickFinds.Last().File.RelativePath, $"{table.LogicalName} has {quickFinds.Count} quick find views; a table has one");
    }
}
