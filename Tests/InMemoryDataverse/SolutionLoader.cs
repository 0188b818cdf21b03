using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.Xrm.Sdk;
using Source = EmergencySolution.SolutionReader;

namespace InMemoryDataverse
{
    public sealed partial class InMemoryOrganization
    {
        private readonly Dictionary<string, Source.EntityDefinition> _loadedTables = new Dictionary<string, Source.EntityDefinition>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The sdkmessage ids our step files use (real, the same in every org). An unknown id is an error.</summary>
        public static readonly IReadOnlyDictionary<Guid, string> KnownSdkMessageIds =
            Source.KnownMessages.ById.ToDictionary(m => m.Key, m => m.Value.Name);

        /// <summary>
        /// The tables of the loaded solution by logical name, as its Entity.xml files declare them: columns (type, max
        /// length, required level, choice values) and alternate keys. Read by the same reader as the packager's.
        /// </summary>
        public IReadOnlyDictionary<string, Source.EntityDefinition> LoadedTables => _loadedTables;

        /// <summary>
        /// Wires the organization from an unpacked solution folder (SolutionPackage/src), read by the packager's own
        /// reader (EmergencySolution.SolutionReader): tables and their alternate keys, plugin types, steps, custom
        /// APIs, roles, environment variables and email templates. Plugin types are found by assembly simple name and
        /// type full name in <paramref name="pluginAssemblies"/>; a referenced type that cannot be found is an error
        /// naming it. Missing folders are skipped.
        /// </summary>
        public void LoadSolution(string solutionSourceFolder, params Assembly[] pluginAssemblies)
        {
            var source = ReadSource(solutionSourceFolder);
            LoadTables(source);

            var pluginTypes = ResolvePluginTypes(source, pluginAssemblies ?? Array.Empty<Assembly>());
            foreach (var step in source.Steps)
            {
                RegisterStep(ToRegistration(step, pluginTypes));
            }

            foreach (var api in source.CustomApis)
            {
                RegisterCustomApi(ToDefinition(api, pluginTypes));
            }

            DefineRoles(source.Roles);

            LoadEnvironmentVariables(source);
            LoadTemplates(source);
        }

        /// <summary>
        /// Declares only the tables of an unpacked solution folder (their alternate keys, and their columns in
        /// <see cref="LoadedTables"/>), for tests that need the shipped metadata without its plugins.
        /// </summary>
        public void LoadTables(string solutionSourceFolder) => LoadTables(ReadSource(solutionSourceFolder));

        private static Source.SolutionSource ReadSource(string solutionSourceFolder)
        {
            if (!Directory.Exists(solutionSourceFolder))
            {
                throw new DirectoryNotFoundException($"Solution folder not found: {solutionSourceFolder}");
            }

            var source = Source.SolutionSource.Load(solutionSourceFolder);
            // The harness loads partial folders (no Other/Solution.xml), so only unreadable files stop it.
            var unreadable = source.LoadFailures.Where(f => f.Reason.StartsWith("not", StringComparison.Ordinal)).ToList();
            if (unreadable.Count > 0)
            {
                throw new InvalidOperationException("The solution folder has unreadable files: " + string.Join("; ", unreadable));
            }

            return source;
        }

        private void LoadTables(Source.SolutionSource source)
        {
            foreach (var table in source.Entities)
            {
                _loadedTables[table.LogicalName] = table;
                if (table.IsActivity)
                {
                    DeclareActivityTable(table.LogicalName);
                }

                foreach (var key in table.Keys)
                {
                    DeclareAlternateKey(table.LogicalName, key.LogicalName, key.Attributes.ToArray());
                }
            }
        }

        private static Dictionary<Guid, Type> ResolvePluginTypes(Source.SolutionSource source, Assembly[] assemblies)
        {
            var result = new Dictionary<Guid, Type>();
            foreach (var registration in source.PluginAssemblies)
            {
                var assembly = assemblies.FirstOrDefault(a => a.GetName().Name == registration.AssemblyName)
                    ?? throw new InvalidOperationException(
                        $"{registration.File.RelativePath} registers the assembly '{registration.AssemblyName}', which was not passed to LoadSolution (passed: {string.Join(", ", assemblies.Select(a => a.GetName().Name))}).");
                foreach (var pluginType in registration.PluginTypes)
                {
                    var type = assembly.GetType(pluginType.Name, throwOnError: false)
                        ?? throw new InvalidOperationException($"The plugin type '{pluginType.Name}' ({pluginType.Id}) registered in {registration.File.RelativePath} does not exist in {assembly.GetName().Name}.");
                    if (!typeof(IPlugin).IsAssignableFrom(type))
                    {
                        throw new InvalidOperationException($"The registered plugin type '{pluginType.Name}' does not implement IPlugin.");
                    }

                    result[pluginType.Id] = type;
                }
            }

            return result;
        }

        private static StepRegistration ToRegistration(Source.StepDefinition step, Dictionary<Guid, Type> pluginTypes)
        {
            var file = step.RelativePath;
            var message = step.Message ?? throw new InvalidOperationException($"{file}: unknown SdkMessageId {step.MessageId}.");
            if (!pluginTypes.TryGetValue(step.PluginTypeId, out var type))
            {
                throw new InvalidOperationException($"{file}: PluginTypeId {step.PluginTypeId} ({step.PluginTypeName}) is not a registered plugin type.");
            }

            return new StepRegistration
            {
                Id = step.Id,
                Name = step.Name.Length > 0 ? step.Name : Path.GetFileNameWithoutExtension(file),
                MessageName = message.Name,
                PrimaryEntity = step.PrimaryEntity,
                PluginType = type,
                PluginTypeId = step.PluginTypeId,
                Stage = step.Stage ?? throw new InvalidOperationException($"{file}: Stage is missing or not a number."),
                Mode = step.Mode ?? throw new InvalidOperationException($"{file}: Mode is missing or not a number."),
                Rank = step.Rank,
                FilteringAttributes = step.FilteringAttributes,
                UnsecureConfiguration = step.Configuration,
                Images = step.Images.Select(image => new StepImage
                {
                    Name = image.Name,
                    EntityAlias = image.EntityAlias,
                    ImageType = image.ImageType ?? 0,
                    Attributes = image.Attributes,
                    MessagePropertyName = image.MessagePropertyName ?? "Target",
                }).ToList(),
            };
        }

        private static CustomApiDefinition ToDefinition(Source.CustomApiFolder folder, Dictionary<Guid, Type> pluginTypes)
        {
            var api = new CustomApiDefinition
            {
                UniqueName = folder.UniqueName.Length > 0 ? folder.UniqueName : Path.GetFileName(folder.RelativeFolder),
                BindingType = folder.BindingType,
                BoundEntityLogicalName = folder.BoundEntityLogicalName,
                IsFunction = folder.IsFunction,
                ExecutePrivilegeName = folder.ExecutePrivilegeName,
            };
            if (folder.PluginTypeKey != null)
            {
                api.PluginTypeId = folder.PluginTypeId;
                api.PluginType = pluginTypes.TryGetValue(api.PluginTypeId, out var type) ? type
                    : throw new InvalidOperationException($"Custom API {api.UniqueName}: plugin type {api.PluginTypeId} is not a registered plugin type.");
            }

            api.RequestParameters.AddRange(folder.RequestParameters.Select(ToParameter));
            api.ResponseProperties.AddRange(folder.ResponseProperties.Select(ToParameter));
            return api;
        }

        private static CustomApiParameter ToParameter(Source.CustomApiMember member) => new CustomApiParameter
        {
            UniqueName = member.UniqueName.Length > 0 ? member.UniqueName : Path.GetFileName(Path.GetDirectoryName(member.RelativePath)) ?? string.Empty,
            Type = member.Type ?? 10,
            IsOptional = member.IsOptional,
            LogicalEntityName = member.LogicalEntityName,
        };

        private void LoadEnvironmentVariables(Source.SolutionSource source)
        {
            foreach (var variable in source.EnvironmentVariables)
            {
                var schemaName = variable.SchemaName;
                var definitionId = DeterministicGuid("environmentvariabledefinition:" + schemaName);
                var definition = new Entity("environmentvariabledefinition", definitionId)
                {
                    ["schemaname"] = schemaName,
                    ["displayname"] = variable.DisplayName ?? schemaName,
                    ["type"] = new OptionSetValue(int.Parse(variable.Type ?? "100000000", CultureInfo.InvariantCulture)),
                };
                if (variable.DefaultValue != null)
                {
                    definition["defaultvalue"] = variable.DefaultValue;
                }

                Initialize(new[] { definition });
                foreach (var value in variable.Values)
                {
                    Initialize(new[]
                    {
                        new Entity("environmentvariablevalue", value.Id ?? DeterministicGuid("environmentvariablevalue:" + schemaName))
                        {
                            ["schemaname"] = schemaName,
                            ["value"] = value.Value,
                            ["environmentvariabledefinitionid"] = new EntityReference("environmentvariabledefinition", definitionId) { Name = schemaName },
                        },
                    });
                }
            }
        }

        private void LoadTemplates(Source.SolutionSource source)
        {
            foreach (var template in source.EmailTemplates)
            {
                string? Document(string element) => template.Documents.TryGetValue(element, out var file) ? File.ReadAllText(source.FullPath(file)) : null;
                var element = template.Element;
                var row = new Entity("template", template.Id)
                {
                    ["title"] = template.Title,
                    // Stored as the object type code; Dataverse answers the table's logical name.
                    ["templatetypecode"] = template.TemplateTable ?? template.TemplateTypeCode,
                    ["ispersonal"] = Source.XmlValues.ParseBool((string?)element.Element("ispersonal")),
                    ["languagecode"] = template.LanguageCode,
                    ["mimetype"] = (string?)element.Element("mimetype"),
                    ["description"] = (string?)element.Element("description"),
                    ["subject"] = Document("subject"),
                    ["body"] = Document("body"),
                    // What the template editor edits; it writes subject and body from them on save.
                    ["subjectpresentationxml"] = Document("subjectpresentationxml"),
                    ["presentationxml"] = Document("presentationxml"),
                };
                Initialize(new[] { row });
            }
        }

        /// <summary>Stable ids for rows the import creates, so tests can rely on them across runs.</summary>
        private static Guid DeterministicGuid(string name)
        {
            using (var md5 = System.Security.Cryptography.MD5.Create())
            {
                return new Guid(md5.ComputeHash(System.Text.Encoding.UTF8.GetBytes(name)));
            }
        }
    }
}
