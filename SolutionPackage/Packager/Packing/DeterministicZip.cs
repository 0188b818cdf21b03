using System.IO.Compression;

namespace EmergencySolution.Packager.Packing;

/// <summary>Writes a zip whose bytes depend only on its entries: fixed timestamps, a fixed order, no extra fields.</summary>
public static class DeterministicZip
{
    /// <summary>The earliest time a zip (DOS) timestamp can hold; nothing about the build machine leaks into it.</summary>
    public static readonly DateTimeOffset FixedTimestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] Write(IReadOnlyDictionary<string, byte[]> entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            // [Content_Types].xml leads, as in the packages Dataverse writes; the rest in ordinal order.
            foreach (var name in entries.Keys.OrderBy(n => n == PackageLayout.ContentTypes ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal))
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = FixedTimestamp;
                entry.ExternalAttributes = 0;
                using var target = entry.Open();
                target.Write(entries[name]);
            }
        }
        return stream.ToArray();
    }
}
