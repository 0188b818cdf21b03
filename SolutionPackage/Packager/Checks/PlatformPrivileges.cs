namespace EmergencySolution.Packager.Checks;

/// <summary>
/// Privilege names that exist in Dataverse, each taken from a real role or from Microsoft's privilege reference, with
/// its source. A role or custom API that names any other privilege is refused by <see cref="PrivilegeChecks"/>:
/// Dataverse does not validate the names at import, it imports the role without the unknown privilege (or leaves the
/// custom API callable by administrators only), so a misspelt name would only show in a live org.
/// To add a name, add it here with where a real role or Microsoft's reference lists it.
/// </summary>
public static class PlatformPrivileges
{
    public static readonly IReadOnlyDictionary<string, string> Sources = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Activities share one set of privileges (every activity table, phonecall included). Microsoft, "Security
        // role UI to privilege mapping" (Dynamics CRM 2016 developer guide, hh547441), Core Records tab, Activity row.
        ["prvCreateActivity"] = "Microsoft, Security role UI to privilege mapping (hh547441), Core Records: Activity",
        ["prvReadActivity"] = "Microsoft, Security role UI to privilege mapping (hh547441), Core Records: Activity",
        ["prvWriteActivity"] = "Microsoft, Security role UI to privilege mapping (hh547441), Core Records: Activity",
        ["prvDeleteActivity"] = "Microsoft, Security role UI to privilege mapping (hh547441), Core Records: Activity",
        ["prvAppendActivity"] = "Microsoft, Security role UI to privilege mapping (hh547441), Core Records: Activity",
        ["prvAppendToActivity"] = "Microsoft, Security role UI to privilege mapping (hh547441), Core Records: Activity",

        // systemuser's privileges are named after "User". Microsoft, same page, Business Management tab, User row.
        ["prvReadUser"] = "Microsoft, Security role UI to privilege mapping (hh547441), Business Management: User",
        ["prvWriteUser"] = "Microsoft, Security role UI to privilege mapping (hh547441), Business Management: User",
        ["prvAppendToUser"] = "Microsoft, Security role UI to privilege mapping (hh547441), Business Management: User",

        // Email templates (table "template"): prv…EmailTemplate. Microsoft, "E-mail Template Privileges" (aa477304) and
        // "MakeAvailableToOrganizationTemplate message privileges" (gg328124: prvReadEmailTemplate, prvWriteEmailTemplate).
        // There is no prvReadTemplate/prvWriteTemplate.
        ["prvCreateEmailTemplate"] = "Microsoft, E-mail Template Privileges (aa477304)",
        ["prvReadEmailTemplate"] = "Microsoft, E-mail Template Privileges (aa477304); MakeAvailableToOrganizationTemplate privileges (gg328124)",
        ["prvWriteEmailTemplate"] = "Microsoft, E-mail Template Privileges (aa477304); MakeAvailableToOrganizationTemplate privileges (gg328124)",
        ["prvDeleteEmailTemplate"] = "Microsoft, E-mail Template Privileges (aa477304)",

        // Environment variables: only the definition has privileges in real roles (the value is read and written with
        // them). microsoft/coe-starter-kit (MIT) "Power Platform User SR" role, copied in
        // shared/reference/unpacked-samples/coe-starter-kit/…/Roles/Power Platform User SR.xml; the write privilege from
        // the same kit's "Power Platform Admin SR" role (see shared/reference/README.md, (d)).
        ["prvReadEnvironmentVariableDefinition"] = "microsoft/coe-starter-kit, Roles/Power Platform User SR.xml",
        ["prvWriteEnvironmentVariableDefinition"] = "microsoft/coe-starter-kit, Roles/Power Platform Admin SR.xml",

        // Granted by every real role in shared/reference (ColumnLevelSecuritySampleSolution, contoso-real-estate
        // "Listings Administrator", CoE "Power Platform User SR"): what a model-driven app user needs to load plugins' metadata.
        ["prvReadPluginAssembly"] = "shared/reference: ColumnLevelSecuritySampleSolution, Listings Administrator, Power Platform User SR",
        ["prvReadPluginType"] = "shared/reference: ColumnLevelSecuritySampleSolution, Listings Administrator, Power Platform User SR",
        ["prvReadSdkMessage"] = "shared/reference: ColumnLevelSecuritySampleSolution, Listings Administrator, Power Platform User SR",
        ["prvReadSdkMessageProcessingStep"] = "shared/reference: ColumnLevelSecuritySampleSolution, Listings Administrator, Power Platform User SR",
        ["prvReadSdkMessageProcessingStepImage"] = "shared/reference: ColumnLevelSecuritySampleSolution, Listings Administrator, Power Platform User SR",
        ["prvReadSharePointData"] = "shared/reference: ColumnLevelSecuritySampleSolution, Listings Administrator, Power Platform User SR",
        ["prvCreateSharePointData"] = "shared/reference: ColumnLevelSecuritySampleSolution, Listings Administrator, Power Platform User SR",
        ["prvWriteSharePointData"] = "shared/reference: ColumnLevelSecuritySampleSolution, Listings Administrator, Power Platform User SR",
        ["prvReadSharePointDocument"] = "shared/reference: ColumnLevelSecuritySampleSolution, Listings Administrator, Power Platform User SR",
    };

    /// <summary>Names that look plausible but exist in no real role, with what to write instead.</summary>
    public static readonly IReadOnlyDictionary<string, string> Mistaken = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["prvReadTemplate"] = "prvReadEmailTemplate",
        ["prvWriteTemplate"] = "prvWriteEmailTemplate",
        ["prvCreateTemplate"] = "prvCreateEmailTemplate",
        ["prvDeleteTemplate"] = "prvDeleteEmailTemplate",
        ["prvReadEnvironmentVariableValue"] = "prvReadEnvironmentVariableDefinition (values are read with the definition's privilege)",
        ["prvWriteEnvironmentVariableValue"] = "prvWriteEnvironmentVariableDefinition (values are written with the definition's privilege)",
        ["prvCreateEnvironmentVariableValue"] = "prvWriteEnvironmentVariableDefinition",
        ["prvDeleteEnvironmentVariableValue"] = "prvWriteEnvironmentVariableDefinition",
    };
}
