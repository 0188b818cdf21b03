using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace EmergencySolution.Packager.Building;

/// <summary>
/// Verifies an assembly's strong-name signature as the runtime does: Dataverse refuses a plugin assembly that is
/// unsigned or only public-signed, and the CorFlags bit alone does not tell a real signature from an empty one.
/// </summary>
/// <remarks>
/// The signed hash is SHA-1 over the image headers up to the end of the section table, with the checksum and the
/// certificate-table directory entry zeroed (both may change after signing), followed by each section's raw data
/// without the signature blob itself. The blob holds the RSA PKCS#1 v1.5 signature in little-endian order.
/// </remarks>
public static class StrongNameVerifier
{
    private const int CertificateTableDirectoryIndex = 4;

    /// <summary>Null when the signature verifies; otherwise why it does not.</summary>
    public static string? Verify(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image, writable: false));
        var headers = pe.PEHeaders;
        var cor = headers.CorHeader;
        if (cor == null) return "not a managed assembly";
        var reader = pe.GetMetadataReader();
        var publicKey = reader.GetBlobBytes(reader.GetAssemblyDefinition().PublicKey);
        if (publicKey.Length == 0) return "the assembly has no public key (not strong-named)";
        var signatureDirectory = cor.StrongNameSignatureDirectory;
        if (signatureDirectory.Size == 0 || !headers.TryGetDirectoryOffset(signatureDirectory, out var signatureOffset))
            return "the assembly has no strong-name signature blob";
        var signature = image.AsSpan(signatureOffset, signatureDirectory.Size).ToArray();
        if (signature.All(b => b == 0)) return "the strong-name signature is empty (public-signed or delay-signed only)";

        using var rsa = RsaFromPublicKey(publicKey);
        if (rsa == null) return "the public key is not an RSA key blob";

        var hashed = HashedBytes(image, headers, signatureOffset, signatureDirectory.Size);
        Array.Reverse(signature);
        return rsa.VerifyData(hashed, signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1)
            ? null
            : "the strong-name signature does not match the assembly's content";
    }

    private static byte[] HashedBytes(byte[] image, PEHeaders headers, int signatureOffset, int signatureSize)
    {
        using var buffer = new MemoryStream();
        var sectionTableEnd = headers.PEHeaderStartOffset + headers.CoffHeader.SizeOfOptionalHeader + headers.CoffHeader.NumberOfSections * 40;
        var head = image.AsSpan(0, sectionTableEnd).ToArray();
        var checksumOffset = headers.PEHeaderStartOffset + 64;
        head.AsSpan(checksumOffset, 4).Clear();
        var directoriesOffset = headers.PEHeaderStartOffset + (headers.PEHeader!.Magic == PEMagic.PE32Plus ? 112 : 96);
        head.AsSpan(directoriesOffset + CertificateTableDirectoryIndex * 8, 8).Clear();
        buffer.Write(head);

        foreach (var section in headers.SectionHeaders)
        {
            var start = section.PointerToRawData;
            var end = start + section.SizeOfRawData;
            var signatureEnd = signatureOffset + signatureSize;
            if (signatureOffset >= start && signatureEnd <= end)
            {
                buffer.Write(image, start, signatureOffset - start);
                buffer.Write(image, signatureEnd, end - signatureEnd);
            }
            else
            {
                buffer.Write(image, start, end - start);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The assembly's public key: a 12-byte header (signature and hash algorithm ids, blob length), then a
    /// PUBLICKEYBLOB: an 8-byte BLOBHEADER, "RSA1", the bit length, the public exponent, and the modulus little-endian.
    /// </summary>
    private static RSA? RsaFromPublicKey(byte[] publicKey)
    {
        const int header = 12, blobHeader = 8;
        var rsaPub = header + blobHeader;
        if (publicKey.Length < rsaPub + 12) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(publicKey.AsSpan(rsaPub)) != 0x31415352) return null; // "RSA1"
        var bitLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(publicKey.AsSpan(rsaPub + 4));
        var exponent = BinaryPrimitives.ReadUInt32LittleEndian(publicKey.AsSpan(rsaPub + 8));
        var modulusLength = bitLength / 8;
        if (publicKey.Length < rsaPub + 12 + modulusLength) return null;
        var modulus = publicKey.AsSpan(rsaPub + 12, modulusLength).ToArray();
        Array.Reverse(modulus);
        var exponentBytes = BitConverter.GetBytes(exponent);
        if (BitConverter.IsLittleEndian) Array.Reverse(exponentBytes);
        var trimmed = exponentBytes.SkipWhile(b => b == 0).ToArray();
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = trimmed });
        return rsa;
    }
}
