using System.IO.Compression;
using EmergencySolution.Packager.Packing;
using EmergencySolution.Packager.Tests.FixturePlugins;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// The zips depend on the inputs' contents only: a copy of the fixture written in another order, with other file
/// times and at another path, packs to the same bytes.
/// </summary>
[TestClass]
public sealed class DeterminismTests
{
    [TestMethod]
    public void Pack_FixtureCopyCreatedInOtherOrderWithOtherFileTimes_GivesIdenticalBytes()
    {
        using var fixture = new FixtureSolution();
        Assert.IsTrue(fixture.Pack().Succeeded, fixture.Log);
        var first = File.ReadAllBytes(fixture.ZipPath(managed: false));
        var firstManaged = File.ReadAllBytes(fixture.ZipPath(managed: true));

        var clone = Path.Combine(Path.GetTempPath(), "packager-clone-" + Guid.NewGuid().ToString("N"));
        try
        {
            BuiltRepositoryPackage.CopyReorderedWithOtherTimes(fixture.Src, Path.Combine(clone, "src"), new DateTime(2033, 3, 3, 13, 33, 33, DateTimeKind.Utc));
            BuiltRepositoryPackage.CopyReorderedWithOtherTimes(fixture.Dist, Path.Combine(clone, "dist"), new DateTime(1990, 1, 2, 3, 4, 5, DateTimeKind.Utc));
            var assembly = Path.Combine(clone, "bin", "Packager.Tests.dll");
            Directory.CreateDirectory(Path.GetDirectoryName(assembly)!);
            File.Copy(typeof(FixtureStepPlugin).Assembly.Location, assembly);
            File.SetLastWriteTimeUtc(assembly, new DateTime(2044, 4, 4, 4, 4, 4, DateTimeKind.Utc));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(clone, "src"), "*", SearchOption.AllDirectories))
                Assert.AreNotEqual(File.GetLastWriteTimeUtc(fixture.SrcFile(Path.GetRelativePath(Path.Combine(clone, "src"), file))), File.GetLastWriteTimeUtc(file), file);

            var log = new StringWriter();
            var result = PackCommand.Run(new PackagerOptions
            {
                RepositoryRoot = clone,
                SrcDirectory = Path.Combine(clone, "src"),
                WebResourceDist = Path.Combine(clone, "dist"),
                OutDirectory = Path.Combine(clone, "out"),
                SchemaDirectory = Path.Combine(FixtureSolution.RepositoryRoot, "SolutionPackage", "schemas"),
                BuildAssemblies = false,
                AssemblyFiles = new Dictionary<string, string> { ["Packager.Tests"] = assembly },
            }, log);

            Assert.IsTrue(result.Succeeded, log.ToString());
            CollectionAssert.AreEqual(first, File.ReadAllBytes(Path.Combine(clone, "out", "EmergencySolution.zip")));
            CollectionAssert.AreEqual(firstManaged, File.ReadAllBytes(Path.Combine(clone, "out", "EmergencySolution_managed.zip")));
        }
        finally
        {
            try { Directory.Delete(clone, recursive: true); } catch (IOException) { }
        }
    }

    [TestMethod]
    public void Pack_Zip_CarriesNoFileTimeOrAttributeOfTheInputs()
    {
        using var fixture = new FixtureSolution();
        Assert.IsTrue(fixture.Pack().Succeeded, fixture.Log);

        using var archive = ZipFile.OpenRead(fixture.ZipPath(managed: true));

        Assert.IsNotEmpty(archive.Entries);
        foreach (var entry in archive.Entries)
        {
            Assert.AreEqual(DeterministicZip.FixedTimestamp.DateTime, entry.LastWriteTime.DateTime, entry.FullName);
            Assert.AreEqual(0, entry.ExternalAttributes, entry.FullName);
        }
        CollectionAssert.AreEqual(archive.Entries.Select(e => e.FullName).Skip(1).OrderBy(n => n, StringComparer.Ordinal).ToList(),
            archive.Entries.Select(e => e.FullName).Skip(1).ToList(), "entries after [Content_Types].xml are in ordinal order");
        Assert.AreEqual(PackageLayout.ContentTypes, archive.Entries[0].FullName);
    }
}
