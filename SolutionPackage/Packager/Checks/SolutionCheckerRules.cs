using System.Xml.Linq;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>
/// Microsoft's solution checker rules that can be read offline from the step files (the built assemblies' rules are
/// in <see cref="AssemblyCheckerRules"/>). A finding is either fixed or documented in the step file itself as a
/// deliberate exception: an XML comment "solution checker exception &lt;rule&gt;: &lt;why&gt;".
/// </summary>
/// <remarks>
/// Rule ids and meanings as Microsoft's solution checker page lists them ("Best practice rules used by solution checker",
/// learn.microsoft.com/power-apps/maker/data-platform/use-powerapps-checker; source MicrosoftDocs/powerapps-docs
/// powerapps-docs/maker/data-platform/use-powerapps-checker.md): meta-avoid-reg-no-attribute "Include filtering
/// attributes with Dataverse plug-in registrations" (guidance: best-practices/business-logic/include-filtering-attributes-plugin-registration),
/// meta-remove-dup-reg "Avoid duplicate Dataverse plug-in registrations" (guidance:
/// best-practices/business-logic/do-not-duplicate-plugin-step-registration), meta-avoid-reg-retrieve "Use caution with
/// Dataverse plug-ins registered for Retrieve and RetrieveMultiple messages".
/// </remarks>
public static class SolutionCheckerRules
{
    public const string ExceptionMarker = "solution checker exception";
    public const string NoFilteringAttributes = "meta-avoid-reg-no-attribute";
    public const string DuplicateRegistration = "meta-remove-dup-reg";

    public static void Run(SolutionSource source, CheckReport report)
    {
        foreach (var step in source.Steps)
        {
            if (step.Message?.Name == "Update" && step.FilteringAttributes.Count == 0 && !IsDocumentedException(step.File.Document, NoFilteringAttributes))
                report.Fail(step.RelativePath, $"{NoFilteringAttributes}: an Update step without filtering attributes runs on every update of {step.PrimaryEntity}; list the columns it needs, or say why it watches every column in the step file: <!-- {ExceptionMarker} {NoFilteringAttributes}: why -->");
        }

        // Steps on Retrieve and RetrieveMultiple (meta-avoid-reg-retrieve) cannot be registered here: their message ids
        // are not in KnownMessages, so StepChecks refuses such a step as an unknown message.

        var duplicates = source.Steps
            .Where(s => s.Message != null)
            .GroupBy(s => (s.PluginTypeId, s.MessageId, Entity: (s.PrimaryEntity ?? "").ToLowerInvariant(), s.Stage, s.Mode,
                Filtering: string.Join(",", s.FilteringAttributes.Select(a => a.ToLowerInvariant()).OrderBy(a => a, StringComparer.Ordinal))))
            .Where(g => g.Count() > 1);
        foreach (var group in duplicates)
            foreach (var step in group.Skip(1))
                report.Fail(step.RelativePath, $"{DuplicateRegistration}: registers the same plugin type, message, table, stage, mode and filtering attributes as {group.First().RelativePath}; the plugin would run twice");
    }

    /// <summary>An XML comment "solution checker exception &lt;rule&gt;: &lt;reason&gt;" with a reason, anywhere in the file.</summary>
    public static bool IsDocumentedException(XDocument file, string rule) =>
        file.DescendantNodes().OfType<XComment>().Select(c => c.Value.Trim())
            .Any(text => text.StartsWith($"{ExceptionMarker} {rule}:", StringComparison.Ordinal) && text.Length > $"{ExceptionMarker} {rule}:".Length + 10);
}
