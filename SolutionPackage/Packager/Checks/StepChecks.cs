using System.Xml.Linq;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>Every SdkMessageProcessingSteps/{guid}.xml: message, plugin type, stage, mode, filtering attributes, images.</summary>
public static class StepChecks
{
    private static readonly int[] Stages = { 10, 20, 40 };
    private const int PostOperation = 40;

    public static void Run(SolutionSource source, CheckReport report)
    {
        var pluginTypes = source.PluginAssemblies.SelectMany(a => a.PluginTypes).GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var step in source.Steps)
        {
            if (step.Root.Name.LocalName != "SdkMessageProcessingStep")
            {
                report.Fail(step.RelativePath, $"root element is <{step.Root.Name.LocalName}>, expected <SdkMessageProcessingStep>");
                continue;
            }
            CheckIdMatchesFileName(step, report);
            CheckMessageAndTable(step, report);
            CheckPluginType(step, pluginTypes, report);
            CheckStageAndMode(step, report);
            CheckConfigurationAndFiltering(step, report);
            foreach (var image in step.Root.Element("SdkMessageProcessingStepImages")?.Elements("SdkMessageProcessingStepImage") ?? Enumerable.Empty<XElement>())
                CheckImage(step, image, report);
        }
    }

    private static string? Value(StepDefinition step, string name) => step.Root.Element(name)?.Value.Trim();

    private static void CheckIdMatchesFileName(StepDefinition step, CheckReport report)
    {
        if (step.Id == Guid.Empty)
            report.Fail(step.RelativePath, "SdkMessageProcessingStepId is missing or not a GUID");
        else if (!string.Equals(Path.GetFileNameWithoutExtension(step.RelativePath).Trim('{', '}'), step.Id.ToString(), StringComparison.OrdinalIgnoreCase))
            report.Fail(step.RelativePath, $"file name does not match SdkMessageProcessingStepId {step.Id}");
    }

    private static void CheckMessageAndTable(StepDefinition step, CheckReport report)
    {
        if (step.Message == null)
            report.Fail(step.RelativePath, $"SdkMessageId '{Value(step, "SdkMessageId")}' is not a known message (Create {KnownMessages.CreateId}, Update {KnownMessages.UpdateId})");
        if (string.IsNullOrEmpty(Value(step, "PrimaryEntity")))
            report.Fail(step.RelativePath, "PrimaryEntity is missing: every step is registered on a table");
    }

    /// <summary>The plugin type is registered in a data.xml under the same name, and the step is named after it, its message and table.</summary>
    private static void CheckPluginType(StepDefinition step, IReadOnlyDictionary<Guid, PluginTypeRegistration> pluginTypes, CheckReport report)
    {
        var file = step.RelativePath;
        if (!pluginTypes.TryGetValue(step.PluginTypeId, out var pluginType))
        {
            report.Fail(file, $"PluginTypeId '{Value(step, "PluginTypeId")}' is not a plugin type of any PluginAssemblies/*.dll.data.xml");
            return;
        }
        if (!string.Equals(Value(step, "PluginTypeName"), pluginType.AssemblyQualifiedName, StringComparison.Ordinal))
            report.Fail(file, $"PluginTypeName '{Value(step, "PluginTypeName")}' differs from the data.xml's '{pluginType.AssemblyQualifiedName}'");
        var entity = Value(step, "PrimaryEntity");
        if (step.Message != null && entity != null)
        {
            var expectedName = $"{pluginType.Name}: {step.Message.Name} of {entity}";
            if (!string.Equals((string?)step.Root.Attribute("Name"), expectedName, StringComparison.Ordinal))
                report.Fail(file, $"Name is '{(string?)step.Root.Attribute("Name")}', expected '{expectedName}'");
        }
    }

    private static void CheckStageAndMode(StepDefinition step, CheckReport report)
    {
        var file = step.RelativePath;
        if (Value(step, "EventHandlerTypeCode") is { } handlerType && handlerType != "4602")
            report.Fail(file, $"EventHandlerTypeCode is {handlerType}, expected 4602 (plugin type)");
        var stage = StageOf(step);
        if (!Stages.Contains(stage))
            report.Fail(file, $"Stage '{Value(step, "Stage")}' is not 10 (pre-validation), 20 (pre-operation) or 40 (post-operation)");
        var mode = int.TryParse(Value(step, "Mode"), out var m) ? m : -1;
        if (mode is not (0 or 1))
            report.Fail(file, $"Mode '{Value(step, "Mode")}' is not 0 (synchronous) or 1 (asynchronous)");
        else if (mode == 1 && stage != PostOperation)
            report.Fail(file, $"Mode 1 (asynchronous) is only allowed at stage 40 (post-operation), not at stage {stage}");
    }

    private static int StageOf(StepDefinition step) => int.TryParse(Value(step, "Stage"), out var stage) ? stage : -1;

    private static void CheckConfigurationAndFiltering(StepDefinition step, CheckReport report)
    {
        // Real exports (unpacked and packed) write the unsecure configuration as <Configuration>; any other name
        // is dropped by the import, and the step would run without its configuration.
        if (step.Root.Element("CustomConfiguration") != null)
            report.Fail(step.RelativePath, "CustomConfiguration is not an element of a step: real exports write the unsecure configuration as <Configuration>");
        var filtering = Value(step, "FilteringAttributes");
        if (!string.IsNullOrEmpty(filtering) && step.Message is { AllowsFilteringAttributes: false })
            report.Fail(step.RelativePath, $"FilteringAttributes '{filtering}' are only allowed on Update, not on {step.Message.Name}");
    }

    /// <summary>An image: a known type, one the message has, under the message's property, a post-image only after the operation, an id.</summary>
    private static void CheckImage(StepDefinition step, XElement image, CheckReport report)
    {
        var file = step.RelativePath;
        var name = (string?)image.Attribute("Name") ?? "(unnamed)";
        var imageType = int.TryParse(image.Element("ImageType")?.Value.Trim(), out var t) ? t : -1;
        if (imageType is < 0 or > 2)
        {
            report.Fail(file, $"image {name}: ImageType '{image.Element("ImageType")?.Value}' is not 0 (pre), 1 (post) or 2 (both)");
            return;
        }
        var wantsPre = imageType is 0 or 2;
        var wantsPost = imageType is 1 or 2;
        if (step.Message is { } message)
        {
            if (wantsPre && !message.AllowsPreImage)
                report.Fail(file, $"image {name}: {message.Name} has no pre-image (only a post-image)");
            if (wantsPost && !message.AllowsPostImage)
                report.Fail(file, $"image {name}: {message.Name} has no post-image");
            var property = image.Element("MessagePropertyName")?.Value.Trim();
            if (!string.Equals(property, message.ImageMessagePropertyName, StringComparison.Ordinal))
                report.Fail(file, $"image {name}: MessagePropertyName is '{property}', expected '{message.ImageMessagePropertyName}' for {message.Name}");
        }
        if (wantsPost && StageOf(step) != PostOperation)
            report.Fail(file, $"image {name}: a post-image exists only at stage 40 (post-operation), not at stage {StageOf(step)}");
        if (SolutionSource.ParseGuid(image.Element("SdkMessageProcessingStepImageId")?.Value) == Guid.Empty)
            report.Fail(file, $"image {name}: SdkMessageProcessingStepImageId is missing or not a GUID");
    }
}
