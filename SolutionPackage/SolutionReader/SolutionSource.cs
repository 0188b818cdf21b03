using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EmergencySolution.SolutionReader
{
    /// <summary>
    /// SolutionPackage/src as `pac solution unpack` lays it out, read into memory. Reading never throws for a broken
    /// file: a file that is not well-formed XML becomes a failure in <see cref="LoadFailures"/> and is left out.
    /// </summary>
    public sealed class SolutionSource
    {
        public required string Directory { get; init; }
        public SourceXml? SolutionManifest { get; init; }
        public SourceXml? Customizations { get; init; }
        public SourceXml? RelationshipIndex { get; init; }
        public required IReadOnlyList<SourceXml> RelationshipFiles { get; init; }
        public required IReadOnlyList<EntityDefinition> Entities { get; init; }
        public required IReadOnlyList<RoleDefinition> Roles { get; init; }
        public required IReadOnlyList<PluginAssemblyRegistration> PluginAssemblies { get; init; }
        public required IReadOnlyList<StepDefinition> Steps { get; init; }
        public required IReadOnlyList<CustomApiFolder> CustomApis { get; init; }
        public required IReadOnlyList<EnvironmentVariableDefinition> EnvironmentVariables { get; init; }
        public required IReadOnlyList<WebResourceRegistration> WebResources { get; init; }
        public SourceXml? EmailTemplatesFile { get; init; }
        public required IReadOnlyList<EmailTemplateDefinition> EmailTemplates { get; init; }
        public required IReadOnlyList<CheckFailure> LoadFailures { get; init; }

        public string FullPath(string relativePath) => Path.Combine(Directory, relativePath.Replace('/', Path.DirectorySeparatorChar));

        /// <summary>The table by logical name (any case), or null.</summary>
        public EntityDefinition? Table(string logicalName) =>
            Entities.FirstOrDefault(e => string.Equals(e.LogicalName, logicalName, StringComparison.OrdinalIgnoreCase));

        public static Guid ParseGuid(string? text) => XmlValues.ParseGuid(text);

        /// <summary>
        /// Reads src in the order of an unpacked solution's folders: the manifest and Other/, the tables (with their views
        /// and forms), roles, plugin assemblies and steps, custom APIs, environment variables, web resources and the
        /// email templates. Each step reads its own folder (see SourceReaders.cs); the failures of all of them are kept.
        /// </summary>
        public static SolutionSource Load(string srcDirectory)
        {
            var src = new SourceFolder(srcDirectory);
            var templatesFile = src.ReadOptional("Templates/EmailTemplates.xml");
            return new SolutionSource
            {
                Directory = src.Root,
                SolutionManifest = src.ReadRequired("Other/Solution.xml"),
                Customizations = src.ReadRequired("Other/Customizations.xml"),
                RelationshipIndex = src.ReadOptional("Other/Relationships.xml"),
                RelationshipFiles = src.ReadAll("Other/Relationships", "*.xml"),
                Entities = TableReader.Read(src),
                Roles = src.ReadAll("Roles", "*.xml").Select(role => new RoleDefinition(role)).ToList(),
                PluginAssemblies = PluginAssemblyReader.Read(src),
                Steps = src.ReadAll("SdkMessageProcessingSteps", "*.xml").Select(step => new StepDefinition(step)).ToList(),
                CustomApis = CustomApiReader.Read(src),
                EnvironmentVariables = EnvironmentVariableReader.Read(src),
                WebResources = WebResourceReader.Read(src),
                EmailTemplatesFile = templatesFile,
                EmailTemplates = EmailTemplateReader.Read(src, templatesFile),
                LoadFailures = src.Failures,
            };
        }
    }
}
