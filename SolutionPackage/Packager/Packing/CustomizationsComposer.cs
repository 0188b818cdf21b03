using System.Xml.Linq;
using EmergencySolution.Packager.Checks;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Packing;

/// <summary>
/// Builds the packed customizations.xml from the unpacked files, as SolutionPackager's pack does: tables (with
/// their forms, views and ribbon), roles, email templates, relationships, web resources, plugin assemblies and steps go inside it.
/// Sections come in the order of CustomizationsSolution.xsd's ImportExportXml sequence.
/// </summary>
public static class CustomizationsComposer
{
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>ImportExportXml's children in the schema's order.</summary>
    private static readonly string[] SectionOrder =
    {
        "Entities", "Roles", "Workflows", "FieldSecurityProfiles", "Templates", "RibbonDiffXml", "IsvConfig", "RelationshipRoles",
        "ConnectionRoles", "SiteMap", "EntityMaps", "EntityRelationships", "OrganizationSettings", "optionsets", "Reports",
        "RoutingRules", "ChannelPropertyGroups", "ConvertRules", "MobileOfflineProfiles", "Slas", "ChannelAccessProfiles",
        "ChannelAccessProfileRules", "Dashboards", "InteractionCentricDashboards", "Dialogs", "WebResources", "CustomControls",
        "SolutionPluginAssemblies", "SdkMessageProcessingSteps", "ServiceEndpoints", "AppModuleSiteMaps", "AppModules",
        "EntityDataProviders", "EntityDataSources", "Languages", "GlobalSearchConfigurations", "StoredProcedures",
    };

    /// <summary>sdkmessageprocessingsteptype's sequence. Unpacked steps list SdkMessageId first, as exports do; the schema wants it after Rank.</summary>
    private static readonly string[] StepOrder =
    {
        "PluginTypeName", "PluginTypeId", "PrimaryEntity", "SecondaryEntity", "AsyncAutoDelete", "Configuration", "Description",
        "FilteringAttributes", "ImpersonatingUserIdName", "InvocationSource", "Mode", "Rank", "SdkMessageId", "EventHandler",
        "EventHandlerTypeCode", "Stage", "IsCustomizable", "IsHidden", "SupportedDeployment", "IntroducedVersion", "SdkMessageProcessingStepImages",
    };

    /// <summary>An Entity's children as real packed exports order them (the schema's xs:all accepts any order).</summary>
    private static readonly string[] EntityOrder = { "Name", "ObjectTypeCode", "EntityInfo", "FormXml", "SavedQueries", "Visualizations", "RibbonDiffXml" };

    private static readonly string[] ImageOrder =
    {
        "Description", "SdkMessageProcessingStepImageId", "Attributes", "EntityAlias", "ImageType", "MessagePropertyName",
        "RelatedAttributeName", "IsCustomizable", "IntroducedVersion",
    };

    public static XDocument Compose(SolutionSource source)
    {
        var skeleton = source.Customizations?.Root;
        var sections = new Dictionary<string, XElement>(StringComparer.Ordinal);
        if (skeleton != null)
            foreach (var element in skeleton.Elements()) sections[element.Name.LocalName] = Clean(element);

        sections["Entities"] = new XElement("Entities", source.Entities.OrderBy(e => e.LogicalName, StringComparer.Ordinal).Select(Entity));
        sections["Roles"] = new XElement("Roles", source.Roles.OrderBy(r => (string?)r.Root.Attribute("name"), StringComparer.Ordinal).Select(r => Clean(r.Root)));
        sections["Templates"] = Templates(source, sections.GetValueOrDefault("Templates"));
        sections["EntityRelationships"] = new XElement("EntityRelationships",
            source.RelationshipFiles.SelectMany(f => f.Root.Elements("EntityRelationship"))
                .OrderBy(r => (string?)r.Attribute("Name"), StringComparer.Ordinal).Select(Clean));
        if (source.WebResources.Count > 0)
            sections["WebResources"] = new XElement("WebResources", source.WebResources.OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => Clean(w.DataFile.Root)));
        sections["SolutionPluginAssemblies"] = new XElement("SolutionPluginAssemblies",
            source.PluginAssemblies.OrderBy(a => a.FullName, StringComparer.Ordinal).Select(a => Clean(a.File.Root)));
        sections["SdkMessageProcessingSteps"] = new XElement("SdkMessageProcessingSteps",
            source.Steps.OrderBy(s => SolutionSource.ParseGuid((string?)s.Root.Attribute("SdkMessageProcessingStepId"))).Select(s => Step(s.Root)));

        var root = new XElement("ImportExportXml", new XAttribute(XNamespace.Xmlns + "xsi", Xsi.NamespaceName));
        foreach (var name in SectionOrder)
            if (sections.Remove(name, out var section)) root.Add(section);
        foreach (var unknown in sections.Values) root.Add(unknown); // the schema check reports them
        return new XDocument(root);
    }

    /// <summary>
    /// A table as real packed exports write it: Name, EntityInfo, then FormXml (one &lt;forms type=".."&gt; per form type)
    /// and SavedQueries from their own files, then RibbonDiffXml. Forms and views are sorted by id, so the output does not
    /// depend on the order the files were read in.
    /// </summary>
    private static XElement Entity(EntityDefinition entity)
    {
        var element = Clean(entity.EntityFile.Root);
        if (entity.Forms.Count > 0)
        {
            element.Elements("FormXml").Remove();
            element.Add(new XElement("FormXml", entity.Forms
                .Where(f => f.Element != null)
                .GroupBy(f => f.Type, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new XElement("forms", new XAttribute("type", g.Key), g.OrderBy(f => f.Id).Select(f => Clean(f.Element!))))));
        }
        if (entity.Views.Count > 0)
        {
            element.Elements("SavedQueries").Remove();
            element.Add(new XElement("SavedQueries", new XElement("savedqueries",
                entity.Views.Where(v => v.Element != null).OrderBy(v => v.Id).Select(v => Clean(v.Element!)))));
        }
        if (entity.RibbonDiff != null)
        {
            element.Elements("RibbonDiffXml").Remove();
            element.Add(Clean(entity.RibbonDiff.Root));
        }
        Reorder(element, EntityOrder);
        return element;
    }

    private static XElement Templates(SolutionSource source, XElement? residual)
    {
        var templates = residual != null ? new XElement(residual) : new XElement("Templates");
        if (source.EmailTemplates.Count == 0) return templates;
        templates.Elements("EmailTemplates").Remove();
        var emailTemplates = new XElement("EmailTemplates");
        foreach (var template in source.EmailTemplates.OrderBy(t => t.Id))
        {
            var element = Clean(template.Element);
            // The documents live beside the index when unpacked, inside the template when packed (filling the empty
            // elements the index keeps for them). Real exports carry the XSL text as it is, and the presentation XML
            // (what the template editor edits) as one line without its XML declaration.
            foreach (var (name, file) in template.Documents)
            {
                var text = File.ReadAllText(source.FullPath(file));
                element.SetElementValue(name, name.EndsWith("presentationxml", StringComparison.Ordinal) ? Compact(text) : text);
            }
            emailTemplates.Add(element);
        }
        // KBArticleTemplates come before EmailTemplates in the schema's sequence.
        var kb = templates.Element("KBArticleTemplates");
        if (kb != null) kb.AddAfterSelf(emailTemplates); else templates.AddFirst(emailTemplates);
        return templates;
    }

    /// <summary>The presentation XML on one line, as exports carry it; text that does not parse stays as it is (the source checks report it).</summary>
    private static string Compact(string xml)
    {
        try { return XElement.Parse(xml).ToString(SaveOptions.DisableFormatting); }
        catch (System.Xml.XmlException) { return xml; }
    }

    private static XElement Step(XElement unpacked)
    {
        var step = Clean(unpacked);
        Reorder(step, StepOrder);
        foreach (var image in step.Descendants("SdkMessageProcessingStepImage")) Reorder(image, ImageOrder);
        return step;
    }

    private static void Reorder(XElement element, string[] order)
    {
        var children = element.Elements().ToList();
        int Rank(XElement e) { var i = Array.IndexOf(order, e.Name.LocalName); return i < 0 ? order.Length : i; }
        var sorted = children.Select((e, i) => (e, i)).OrderBy(p => Rank(p.e)).ThenBy(p => p.i).Select(p => p.e).ToList();
        element.Elements().Remove();
        element.Add(sorted);
    }

    /// <summary>A copy without namespace declarations (the packed root declares xsi once) and without comments.</summary>
    private static XElement Clean(XElement element)
    {
        var copy = new XElement(element);
        foreach (var e in copy.DescendantsAndSelf()) e.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        copy.DescendantNodes().OfType<XComment>().Remove();
        return copy;
    }
}
