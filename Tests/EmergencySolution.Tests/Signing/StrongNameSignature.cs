using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace EmergencySolution.Tests.Signing;

/// <summary>
/// Checks a strong-name signature the way the runtime does, without sn.exe: recompute the SHA-1 strong-name
/// hash of the PE image and verify the embedded RSA signature against the assembly's own public key.
/// </summary>
/// <remarks>
/// The hash covers the headers up to the end of the section table, with the PE checksum and the certificate
/// directory entry zeroed (both may change after signing), then every section's raw data except the signature
/// blob itself. The blob holds the PKCS#1 v1.5 signature little-endian, so it is reversed before verifying.
/// </remarks>
internal static class StrongNameSignature
{
    private const int CorFlagsStrongNameSigned = 0x8;

    public static StrongNameCheck Verify(byte[] image)
    {
        PEHeaders headers;
        byte[] publicKeyBlob;
        using (var pe = new PEReader(new MemoryStream(image, writable: false)))
        {
            headers = pe.PEHeaders;
            if (headers.CorHeader == null)
            {
                return StrongNameCheck.Fail("not a managed assembly");
            }

            var reader = pe.GetMetadataReader();
            publicKeyBlob = reader.GetBlobBytes(reader.GetAssemblyDefinition().PublicKey);
        }

        if (publicKeyBlob.Length == 0)
        {
            return StrongNameCheck.Fail("the assembly has no public key");
        }

        if (((int)headers.CorHeader.Flags & CorFlagsStrongNameSigned) == 0)
        {
            return StrongNameCheck.Fail("the CLI header does not mark the image as strong-name signed");
        }

        var signatureDirectory = headers.CorHeader.StrongNameSignatureDirectory;
        if (signatureDirectory.Size == 0 || !TryGetFileOffset(headers, signatureDirectory.RelativeVirtualAddress, out var signatureOffset))
        {
            return StrongNameCheck.Fail("the image has no strong-name signature blob");
        }

        using var rsa = RsaFromPublicKeyBlob(publicKeyBlob);
        if (rsa.KeySize / 8 != signatureDirectory.Size)
        {
            return StrongNameCheck.Fail("the signature blob is " + signatureDirectory.Size + " bytes, the key is " + rsa.KeySize + " bits");
        }

        var hash = ComputeHash(image, headers, signatureOffset, signatureDirectory.Size);
        var signature = image.AsSpan(signatureOffset, signatureDirectory.Size).ToArray();
        Array.Reverse(signature);
        return rsa.VerifyHash(hash, signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1)
            ? StrongNameCheck.Valid
            : StrongNameCheck.Fail("the RSA signature does not match the image's strong-name hash");
    }

    public static byte[] ComputeHash(byte[] image, PEHeaders headers, int signatureOffset, int signatureSize)
    {
        var peHeaderStart = headers.PEHeaderStartOffset;
        var isPe32Plus = headers.PEHeader!.Magic == PEMagic.PE32Plus;
        var checksumOffset = peHeaderStart + 64;
        var certificateEntryOffset = peHeaderStart + (isPe32Plus ? 144 : 128);
        var sectionTableEnd = headers.CoffHeaderStartOffset + 20 + headers.CoffHeader.SizeOfOptionalHeader
            + (headers.CoffHeader.NumberOfSections * 40);

        var headerBytes = image.AsSpan(0, sectionTableEnd).ToArray();
        Array.Clear(headerBytes, checksumOffset, 4);
        Array.Clear(headerBytes, certificateEntryOffset, 8);

        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(headerBytes);
        foreach (var section in headers.SectionHeaders)
        {
            var start = section.PointerToRawData;
            var end = start + section.SizeOfRawData;
            var signatureEnd = signatureOffset + signatureSize;
            if (signatureOffset >= start && signatureEnd <= end)
            {
                sha1.AppendData(image, start, signatureOffset - start);
                sha1.AppendData(image, signatureEnd, end - signatureEnd);
            }
            else
            {
                sha1.AppendData(image, start, end - start);
            }
        }

        return sha1.GetHashAndReset();
    }

    public static bool TryGetFileOffset(PEHeaders headers, int relativeVirtualAddress, out int fileOffset)
    {
        foreach (var section in headers.SectionHeaders)
        {
            if (relativeVirtualAddress >= section.VirtualAddress && relativeVirtualAddress < section.VirtualAddress + section.SizeOfRawData)
            {
                fileOffset = relativeVirtualAddress - section.VirtualAddress + section.PointerToRawData;
                return true;
            }
        }

        fileOffset = -1;
        return false;
    }

    /// <summary>
    /// The assembly public key is a 12-byte header (signature and hash algorithm ids, key length) followed by a
    /// CAPI PUBLICKEYBLOB: BLOBHEADER (8 bytes), RSAPUBKEY ("RSA1", bit length, exponent), modulus little-endian.
    /// </summary>
    public static RSA RsaFromPublicKeyBlob(byte[] assemblyPublicKey)
    {
        var blob = assemblyPublicKey.AsSpan(12);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(8));
        if (blob[0] != 0x06 || magic != 0x31415352)
        {
            throw new InvalidDataException("The public key is not an RSA1 PUBLICKEYBLOB.");
        }

        var bitLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(12));
        var exponent = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(16));
        var modulus = blob.Slice(20, bitLength / 8).ToArray();
        Array.Reverse(modulus);
        var exponentBytes = new byte[] { (byte)(exponent >> 24), (byte)(exponent >> 16), (byte)(exponent >> 8), (byte)exponent };
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = modulus,
            Exponent = exponentBytes.SkipWhile(b => b == 0).ToArray(),
        });
        return rsa;
    }
}

internal sealed record StrongNameCheck(bool IsValid, string Reason)
{
    public static readonly StrongNameCheck Valid = new(true, "valid");

    public static StrongNameCheck Fail(string reason) => new(false, reason);
}
