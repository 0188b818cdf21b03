using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace EmergencySolution.Tests.Sdk;

/// <summary>Name, version and public key token of an assembly and of its references, read from metadata.</summary>
internal sealed record AssemblyIdentity(string Name, Version Version, string PublicKeyToken)
{
    public static AssemblyIdentity Of(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var definition = reader.GetAssemblyDefinition();
        var publicKey = reader.GetBlobBytes(definition.PublicKey);
        return new AssemblyIdentity(reader.GetString(definition.Name), definition.Version, TokenOf(publicKey));
    }

    public static IReadOnlyList<AssemblyIdentity> ReferencesOf(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var references = new List<AssemblyIdentity>();
        foreach (var handle in reader.AssemblyReferences)
        {
            var reference = reader.GetAssemblyReference(handle);
            var keyOrToken = reader.GetBlobBytes(reference.PublicKeyOrToken);
            var isFullKey = (reference.Flags & System.Reflection.AssemblyFlags.PublicKey) != 0;
            references.Add(new AssemblyIdentity(
                reader.GetString(reference.Name),
                reference.Version,
                isFullKey ? TokenOf(keyOrToken) : Convert.ToHexString(keyOrToken).ToLowerInvariant()));
        }

        return references;
    }

    /// <summary>The token is the last 8 bytes of the SHA-1 of the public key blob, in reverse order.</summary>
    public static string TokenOf(byte[] publicKey)
    {
        if (publicKey.Length == 0)
        {
            return string.Empty;
        }

        var hash = SHA1.HashData(publicKey);
        var token = hash.Skip(hash.Length - 8).Reverse().ToArray();
        return Convert.ToHexString(token).ToLowerInvariant();
    }
}
