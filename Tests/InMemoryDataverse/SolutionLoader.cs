using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    public sealed partial class InMemoryOrganization
    {
        /// <summary>The sdkmessage ids our step files use (real, the same in every org). An unknown id is an error.</summary>
        public static readonly IReadOnlyDictionary<Guid, string> KnownSdkMessageIds = new Dictionary<Guid, string>
        {
            [new Guid("9ebdbb1b-ea3e-db11-86a7-000a3a5473e8")] = "Create",
            [new Guid("20bebb1b-ea3e-db11-86a7-000a3a5473e8")] = "Update",
        };

        /// <summary>
        /// Wires the organization from an unpacked solution folder (SolutionPackage/src): plugin types, steps, custom
        /// APIs, roles, environment variables and email templates. Plugin types are found by assembly simple name and
        /// type full name in <paramref name="pluginAssemblies"/>; a referenced type that cannot be found is an error
        /// naming it. Missing folders are skipped.
        /// </summary>
        public void LoadSolution(string solutionSourceFolder, params Assembly[] pluginAssemblies)
        {
            if (!Directory.Exists(solutionSourceFolder))
            {
                throw new DirectoryNotFoundException($"Solution folder not found: {solutionSourceFolder}");
            }

            var pluginTypes = ReadPluginTypes(solutionSourceFolder, pluginAssemblies ?? Array.Empty<Assembly>());
            foreach (var step in ReadSteps(solutionSourceFolder, pluginTypes))
            {
                RegisterStep(step);
            }

            foreach (var api in ReadCustomApis(solutionSourceFolder, pluginTypes))
            {
                RegisterCustomApi(api);
            }

            ReadRoles(solutionSourceFolder);
            ReadEnvironmentVariables(solutionSourceFolder);
            ReadTemplates(solutionSourceFolder);
        }

        private static Dictionary<Guid, Type> ReadPluginTypes(string root, Assembly[] assemblies)
        {
            var result = new Dictionary<Guid, Type>();
            var folder = Path.Combine(root, "PluginAssemblies");
            if (!Directory.Exists(folder))
            {
                return result;
            }

            foreach (var file in Directory.GetFiles(folder, "*.dll.data.xml", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                var assemblyElement = XDocument.Load(file).Root!;
                var assemblyName = ((string?)assemblyElement.Attribute("FullName") ?? string.Empty).Split(',')[0].Trim();
                var assembly = assemblies.FirstOrDefault(a => a.GetName().Name == assemblyName)
                    ?? throw new InvalidOperationException(
                        $"{file} registers the assembly '{assemblyName}', which was not passed to LoadSolution (passed: {string.Join(", ", assemblies.Select(a => a.GetName().Name))}).");
                foreach (var typeElement in assemblyElement.Descendants("PluginType"))
                {
                    var typeName = (string?)typeElement.Attribute("Name") ?? string.Empty;
                    var id = Guid.Parse((string?)typeElement.Attribute("PluginTypeId") ?? string.Empty);
                    var type = assembly.GetType(typeName, throwOnError: false)
                        ?? throw new InvalidOperationException($"The plugin type '{typeName}' ({id}) registered in {Path.GetFileName(file)} does not exist in {assembly.GetName().Name}.");
                    if (!typeof(IPlugin).IsAssignableFrom(type))
                    {
                        throw new InvalidOperationException($"The registered plugin type '{typeName}' does not implement IPlugin.");
                    }

                    result[id] = type;
                }
            }

            return result;
        }

        private static IEnumerable<StepRegistration> ReadSteps(string root, Dictionary<Guid, Type> pluginTypes)
        {
            var folder = Path.Combine(root, "SdkMessageProcessingSteps");
            if (!Directory.Exists(folder))
            {
                yield break;
            }

            foreach (var file in Directory.GetFiles(folder, "*.xml").OrderBy(f => f, StringComparer.Ordinal))
            {
                var step = XDocument.Load(file).Root!;
                string Value(string name) => (string?)step.Element(name) ?? string.Empty;
                var messageId = Guid.Parse(Value("SdkMessageId"));
                if (!KnownSdkMessageIds.TryGetValue(messageId, out var messageName))
                {
                    throw new InvalidOperationException($"{Path.GetFileName(file)}: unknown SdkMessageId {messageId}.");
                }

                var pluginTypeId = Guid.Parse(Value("PluginTypeId"));
                if (!pluginTypes.TryGetValue(pluginTypeId, out var type))
                {
                    throw new InvalidOperationException($"{Path.GetFileName(file)}: PluginTypeId {pluginTypeId} ({Value("PluginTypeName")}) is not a registered plugin type.");
                }

                yield return new StepRegistration
                {
                    Id = Guid.Parse(((string?)step.Attribute("SdkMessageProcessingStepId") ?? string.Empty).Trim('{', '}')),
                    Name = (string?)step.Attribute("Name") ?? Path.GetFileNameWithoutExtension(file),
                    MessageName = messageName,
                    PrimaryEntity = string.IsNullOrWhiteSpace(Value("PrimaryEntity")) ? null : Value("PrimaryEntity").Trim(),
                    PluginType = type,
                    PluginTypeId = pluginTypeId,
                    Stage = int.Parse(Value("Stage"), CultureInfo.InvariantCulture),
                    Mode = int.Parse(Value("Mode"), CultureInfo.InvariantCulture),
                    Rank = string.IsNullOrWhiteSpace(Value("Rank")) ? 1 : int.Parse(Value("Rank"), CultureInfo.InvariantCulture),
                    FilteringAttributes = SplitList(Value("FilteringAttributes")),
                    UnsecureConfiguration = step.Element("CustomConfiguration") == null ? null : Value("CustomConfiguration"),
                    Images = step.Descendants("SdkMessageProcessingStepImage").Select(image => new StepImage
                    {
                        Name = (string?)image.Attribute("Name") ?? string.Empty,
                        EntityAlias = (string?)image.Element("EntityAlias") ?? (string?)image.Attribute("Name") ?? string.Empty,
                        ImageType = int.Parse((string?)image.Element("ImageType") ?? "0", CultureInfo.InvariantCulture),
                        Attributes = SplitList((string?)image.Element("Attributes") ?? string.Empty),
                        MessagePropertyName = (string?)image.Element("MessagePropertyName") ?? "Target",
                    }).ToList(),
                };
            }
        }

        private static IEnumerable<CustomApiDefinition> ReadCustomApis(string root, Dictionary<Guid, Type> pluginTypes)
        {
            var folder = Path.Combine(root, "customapis");
            if (!Directory.Exists(folder))
            {
                yield break;
            }

            foreach (var apiFolder in Directory.GetDirectories(folder).OrderBy(f => f, StringComparer.Ordinal))
            {
                var file = Path.Combine(apiFolder, "customapi.xml");
                if (!File.Exists(file))
                {
                    continue;
                }

                var element = XDocument.Load(file).Root!;
                var exportKey = (string?)element.Element("plugintypeid")?.Element("plugintypeexportkey")
                    ?? (string?)element.Element("plugintypeid")?.Element("plugintypeid");
                var api = new CustomApiDefinition
                {
                    UniqueName = (string?)element.Attribute("uniquename") ?? Path.GetFileName(apiFolder),
                    BindingType = int.Parse((string?)element.Element("bindingtype") ?? "0", CultureInfo.InvariantCulture),
                    BoundEntityLogicalName = NullIfEmpty((string?)element.Element("boundentitylogicalname")),
                    IsFunction = (string?)element.Element("isfunction") == "1",
                    ExecutePrivilegeName = NullIfEmpty((string?)element.Element("executeprivilegename")),
                };
                if (!string.IsNullOrWhiteSpace(exportKey))
                {
                    api.PluginTypeId = Guid.Parse(exportKey!.Trim().Trim('{', '}'));
                    api.PluginType = pluginTypes.TryGetValue(api.PluginTypeId, out var type) ? type
                        : throw new InvalidOperationException($"Custom API {api.UniqueName}: plugin type {api.PluginTypeId} is not a registered plugin type.");
                }

                api.RequestParameters.AddRange(ReadParameters(Path.Combine(apiFolder, "customapirequestparameters"), "customapirequestparameter.xml"));
                api.ResponseProperties.AddRange(ReadParameters(Path.Combine(apiFolder, "customapiresponseproperties"), "customapiresponseproperty.xml"));
                yield return api;
            }
        }

        private static IEnumerable<CustomApiParameter> ReadParameters(string folder, string fileName)
        {
            if (!Directory.Exists(folder))
            {
                yield break;
            }

            foreach (var parameterFolder in Directory.GetDirectories(folder).OrderBy(f => f, StringComparer.Ordinal))
            {
                var file = Path.Combine(parameterFolder, fileName);
                if (!File.Exists(file))
                {
                    continue;
                }

                var element = XDocument.Load(file).Root!;
                yield return new CustomApiParameter
                {
                    UniqueName = (string?)element.Attribute("uniquename") ?? Path.GetFileName(parameterFolder),
                    Type = int.Parse((string?)element.Element("type") ?? "10", CultureInfo.InvariantCulture),
                    IsOptional = (string?)element.Element("isoptional") == "1",
                    LogicalEntityName = NullIfEmpty((string?)element.Element("logicalentityname")),
                };
            }
        }

        private void ReadRoles(string root)
        {
            var folder = Path.Combine(root, "Roles");
            if (!Directory.Exists(folder))
            {
                return;
            }

            foreach (var file in Directory.GetFiles(folder, "*.xml").OrderBy(f => f, StringComparer.Ordinal))
            {
                var role = XDocument.Load(file).Root!;
                var name = (string?)role.Attribute("name") ?? Path.GetFileNameWithoutExtension(file);
                var id = Guid.Parse(((string?)role.Attribute("id") ?? Guid.NewGuid().ToString()).Trim('{', '}'));
                var privileges = role.Descendants("RolePrivilege").Select(p => (string?)p.Attribute("name")).Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).ToArray();
                DefineRole(name, id, privileges);
            }
        }

        private void ReadEnvironmentVariables(string root)
        {
            var folder = Path.Combine(root, "environmentvariabledefinitions");
            if (!Directory.Exists(folder))
            {
                return;
            }

            foreach (var definitionFolder in Directory.GetDirectories(folder).OrderBy(f => f, StringComparer.Ordinal))
            {
                var file = Path.Combine(definitionFolder, "environmentvariabledefinition.xml");
                if (!File.Exists(file))
                {
                    continue;
                }

                var element = XDocument.Load(file).Root!;
                var schemaName = (string?)element.Attribute("schemaname") ?? Path.GetFileName(definitionFolder);
                var definitionId = DeterministicGuid("environmentvariabledefinition:" + schemaName);
                var definition = new Entity("environmentvariabledefinition", definitionId)
                {
                    ["schemaname"] = schemaName,
                    ["displayname"] = (string?)element.Element("displayname")?.Attribute("default") ?? schemaName,
                    ["type"] = new OptionSetValue(int.Parse((string?)element.Element("type") ?? "100000000", CultureInfo.InvariantCulture)),
                };
                if (element.Element("defaultvalue") != null)
                {
                    definition["defaultvalue"] = (string)element.Element("defaultvalue")!;
                }

                Initialize(new[] { definition });

                var valuesFile = Path.Combine(definitionFolder, "environmentvariablevalues.json");
                if (File.Exists(valuesFile))
                {
                    using (var json = JsonDocument.Parse(File.ReadAllText(valuesFile)))
                    {
                        var value = json.RootElement.GetProperty("environmentvariablevalues").GetProperty("environmentvariablevalue");
                        var values = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : new List<JsonElement> { value };
                        foreach (var item in values)
                        {
                            var valueId = item.TryGetProperty("@environmentvariablevalueid", out var idProperty) && Guid.TryParse(idProperty.GetString(), out var parsed)
                                ? parsed : DeterministicGuid("environmentvariablevalue:" + schemaName);
                            Initialize(new[]
                            {
                                new Entity("environmentvariablevalue", valueId)
                                {
                                    ["schemaname"] = schemaName,
                                    ["value"] = item.TryGetProperty("value", out var v) ? v.GetString() : null,
                                    ["environmentvariabledefinitionid"] = new EntityReference("environmentvariabledefinition", definitionId) { Name = schemaName },
                                },
                            });
                        }
                    }
                }
            }
        }

        private void ReadTemplates(string root)
        {
            var file = Path.Combine(root, "Templates", "EmailTemplates.xml");
            if (!File.Exists(file))
            {
                return;
            }

            foreach (var element in XDocument.Load(file).Root!.Elements("emailtemplate"))
            {
                var id = Guid.Parse(((string?)element.Attribute("id") ?? (string?)element.Element("templateid") ?? string.Empty).Trim('{', '}'));
                var languageCode = int.Parse((string?)element.Element("languagecode") ?? "1033", CultureInfo.InvariantCulture);
                var documents = Path.Combine(root, "Templates", "EmailDocuments", languageCode.ToString(CultureInfo.InvariantCulture));
                var documentFolder = Directory.Exists(documents)
                    ? Directory.GetDirectories(documents).FirstOrDefault(d => Guid.TryParse(Path.GetFileName(d).Trim('{', '}'), out var folderId) && folderId == id)
                    : null;
                string? ReadDocument(string name) => documentFolder != null && File.Exists(Path.Combine(documentFolder, name)) ? File.ReadAllText(Path.Combine(documentFolder, name)) : null;
                var template = new Entity("template", id)
                {
                    ["title"] = (string?)element.Element("title"),
                    ["templatetypecode"] = (string?)element.Element("templatetypecode"),
                    ["ispersonal"] = (string?)element.Element("ispersonal") == "1" || (string?)element.Element("ispersonal") == "true",
                    ["languagecode"] = languageCode,
                    ["mimetype"] = (string?)element.Element("mimetype"),
                    ["description"] = (string?)element.Element("description"),
                    ["subject"] = ReadDocument("Subject.xsl"),
                    ["body"] = ReadDocument("Body.xsl"),
                };
                Initialize(new[] { template });
            }
        }

        private static IReadOnlyCollection<string> SplitList(string text) =>
            text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

        private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();

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
