using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace EmergencySolution.Packager.Building;

/// <summary>What the checks need to know about one plugin type in a built assembly.</summary>
public sealed record InspectedType(string FullName, bool IsPublic, bool IsAbstract, bool IsClass, bool ImplementsIPlugin);

/// <summary>A built plugin assembly, read from its metadata without loading it (a net462 assembly cannot load here).</summary>
public sealed record InspectedAssembly(string Path, string Name, Version Version, string Culture, string PublicKeyToken, IReadOnlyDictionary<string, InspectedType> Types, string? SignatureProblem)
{
    public string FullName => $"{Name}, Version={Version}, Culture={(Culture.Length == 0 ? "neutral" : Culture)}, PublicKeyToken={(PublicKeyToken.Length == 0 ? "null" : PublicKeyToken)}";
}

public static class AssemblyInspector
{
    private const string PluginInterface = "Microsoft.Xrm.Sdk.IPlugin";

    public static InspectedAssembly Inspect(string path)
    {
        var image = File.ReadAllBytes(path);
        using var pe = new PEReader(new MemoryStream(image, writable: false));
        var reader = pe.GetMetadataReader();
        var definition = reader.GetAssemblyDefinition();
        var publicKey = reader.GetBlobBytes(definition.PublicKey);

        var types = new Dictionary<string, InspectedType>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if (type.GetDeclaringType().IsNil == false) continue; // plugin types are top-level
            var fullName = FullName(reader, type.Namespace, type.Name);
            var attributes = type.Attributes;
            types[fullName] = new InspectedType(
                fullName,
                (attributes & TypeAttributes.VisibilityMask) == TypeAttributes.Public,
                (attributes & TypeAttributes.Abstract) != 0,
                (attributes & TypeAttributes.Interface) == 0,
                ImplementsPlugin(reader, handle, depth: 0));
        }

        return new InspectedAssembly(path, reader.GetString(definition.Name), definition.Version,
            reader.GetString(definition.Culture), PublicKeyTokenOf(publicKey), types, StrongNameVerifier.Verify(image));
    }

    /// <summary>The token is the last 8 bytes of the SHA-1 of the public key, in reverse order.</summary>
    public static string PublicKeyTokenOf(byte[] publicKey)
    {
        if (publicKey.Length == 0) return "";
        var hash = SHA1.HashData(publicKey);
        var token = hash.Skip(hash.Length - 8).Reverse().ToArray();
        return Convert.ToHexString(token).ToLowerInvariant();
    }

    /// <summary>
    /// True when the type or one of its base types inside this assembly declares IPlugin. Our plugins derive from
    /// the public PluginBase compiled into each, so the interface usually sits on a base type; a base type from another assembly
    /// cannot be walked without loading it and counts as not implementing IPlugin.
    /// </summary>
    private static bool ImplementsPlugin(MetadataReader reader, TypeDefinitionHandle handle, int depth)
    {
        if (depth > 32) return false;
        var type = reader.GetTypeDefinition(handle);
        foreach (var implementationHandle in type.GetInterfaceImplementations())
        {
            var implemented = reader.GetInterfaceImplementation(implementationHandle).Interface;
            if (NameOf(reader, implemented) == PluginInterface) return true;
        }
        return !type.BaseType.IsNil && type.BaseType.Kind == HandleKind.TypeDefinition
            && ImplementsPlugin(reader, (TypeDefinitionHandle)type.BaseType, depth + 1);
    }

    private static string? NameOf(MetadataReader reader, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeReference => FullName(reader, reader.GetTypeReference((TypeReferenceHandle)handle).Namespace, reader.GetTypeReference((TypeReferenceHandle)handle).Name),
        HandleKind.TypeDefinition => FullName(reader, reader.GetTypeDefinition((TypeDefinitionHandle)handle).Namespace, reader.GetTypeDefinition((TypeDefinitionHandle)handle).Name),
        _ => null,
    };

    private static string FullName(MetadataReader reader, StringHandle ns, StringHandle name)
    {
        var nameSpace = reader.GetString(ns);
        return nameSpace.Length == 0 ? reader.GetString(name) : nameSpace + "." + reader.GetString(name);
    }
}
