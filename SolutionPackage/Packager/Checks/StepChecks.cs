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
            var file = step.RelativePath;
            var root = step.Root;
            string? Value(string name) => root.Element(name)?.Value.Trim();

            if (root.Name.LocalName != "SdkMessageProcessingStep")
            {
                report.Fail(file, $"root element is <{root.Name.LocalName}>, expected <SdkMessageProcessingStep>");
                continue;
            }
            var id = SolutionSource.ParseGuid((string?)root.Attribute("SdkMessageProcessingStepId"));
            if (id == Guid.Empty)
                report.Fail(file, "SdkMessageProcessingStepId is missing or not a GUID");
            else if (!string.Equals(Path.GetFileNameWithoutExtension(file).Trim('{', '}'), id.ToString(), StringComparison.OrdinalIgnoreCase))
                report.Fail(file, $"file name does not match SdkMessageProcessingStepId {id}");

            var messageId = SolutionSource.ParseGuid(Value("SdkMessageId"));
            KnownMessages.ById.TryGetValue(messageId, out var message);
            if (message == null)
                report.Fail(file, $"SdkMessageId '{Value("SdkMessageId")}' is not a known message (Create {KnownMessages.CreateId}, Update {KnownMessages.UpdateId})");

            var entity = Value("PrimaryEntity");
            if (string.IsNullOrEmpty(entity))
                report.Fail(file, "PrimaryEntity is missing: every step is registered on a table");

            var pluginTypeId = SolutionSource.ParseGuid(Value("PluginTypeId"));
            if (!pluginTypes.TryGetValue(pluginTypeId, out var pluginType))
                report.Fail(file, $"PluginTypeId '{Value("PluginTypeId")}' is not a plugin type of any PluginAssemblies/*.dll.data.xml");
            else
            {
                if (!string.Equals(Value("PluginTypeName"), pluginType.AssemblyQualifiedName, StringComparison.Ordinal))
                    report.Fail(file, $"PluginTypeName '{Value("PluginTypeName")}' differs from the data.xml's '{pluginType.AssemblyQualifiedName}'");
                if (message != null && entity != null)
                {
                    var expectedName = $"{pluginType.Name}: {message.Name} of {entity}";
                    if (!string.Equals((string?)root.Attribute("Name"), expectedName, StringComparison.Ordinal))
                        report.Fail(file, $"Name is '{(string?)root.Attribute("Name")}', expected '{expectedName}'");
                }
            }

            if (Value("EventHandlerTypeCode") is { } handlerType && handlerType != "4602")
                report.Fail(file, $"EventHandlerTypeCode is {handlerType}, expected 4602 (plugin type)");

            var stage = int.TryParse(Value("Stage"), out var s) ? s : -1;
            if (!Stages.Contains(stage))
                report.Fail(file, $"Stage '{Value("Stage")}' is not 10 (pre-validation), 20 (pre-operation) or 40 (post-operation)");
            var mode = int.TryParse(Value("Mode"), out var m) ? m : -1;
            if (mode is not (0 or 1))
                report.Fail(file, $"Mode '{Value("Mode")}' is not 0 (synchronous) or 1 (asynchronous)");
            else if (mode == 1 && stage != PostOperation)
                report.Fail(file, $"Mode 1 (asynchronous) is only allowed at stage 40 (post-operation), not at stage {stage}");

            // Real exports (unpacked and packed) write the unsecure configuration as <Configuration>; any other name
            // is dropped by the import, and the step would run without its configuration.
            if (root.Element("CustomConfiguration") != null)
                report.Fail(file, "CustomConfiguration is not an element of a step: real exports write the unsecure configuration as <Configuration>");

            var filtering = Value("FilteringAttributes");
            if (!string.IsNullOrEmpty(filtering) && message is { AllowsFilteringAttributes: false })
                report.Fail(file, $"FilteringAttributes '{filtering}' are only allowed on Update, not on {message.Name}");

            var images = root.Element("SdkMessageProcessingStepImages")?.Elements("SdkMessageProcessingStepImage") ?? Enumerable.Empty<System.Xml.Linq.XElement>();
            foreach (var image in images)
            {
                var name = (string?)image.Attribute("Name") ?? "(unnamed)";
                var imageType = int.TryParse(image.Element("ImageType")?.Value.Trim(), out var t) ? t : -1;
                var wantsPre = imageType is 0 or 2;
                var wantsPost = imageType is 1 or 2;
                if (imageType is < 0 or > 2)
                {
                    report.Fail(file, $"image {name}: ImageType '{image.Element("ImageType")?.Value}' is not 0 (pre), 1 (post) or 2 (both)");
                    continue;
                }
                if (message != null)
                {
                    if (wantsPre && !message.AllowsPreImage)
                        report.Fail(file, $"image {name}: {message.Name} has no pre-image (only a post-image)");
                    if (wantsPost && !message.AllowsPostImage)
                        report.Fail(file, $"image {name}: {message.Name} has no post-image");
                    var property = image.Element("MessagePropertyName")?.Value.Trim();
                    if (!string.Equals(property, message.ImageMessagePropertyName, StringComparison.Ordinal))
                        report.Fail(file, $"image {name}: MessagePropertyName is '{property}', expected '{message.ImageMessagePropertyName}' for {message.Name}");
                }
                if (wantsPost && stage != PostOperation)
                    report.Fail(file, $"image {name}: a post-image exists only at stage 40 (post-operation), not at stage {stage}");
                if (SolutionSource.ParseGuid(image.Element("SdkMessageProcessingStepImageId")?.Value) == Guid.Empty)
                    report.Fail(file, $"image {name}: SdkMessageProcessingStepImageId is missing or not a GUID");
            }
        }
    }
}
