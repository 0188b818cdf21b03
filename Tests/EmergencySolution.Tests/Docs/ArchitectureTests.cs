using System.Text.RegularExpressions;
using EmergencySolution.Tests.Support;

namespace EmergencySolution.Tests.Docs;

/// <summary>
/// The rules docs/architecture.md states about the rooms of Shared/, checked on the source: the base rooms use no
/// feature room, Shared/ never names the registered classes' namespaces, and the guide's room table names every room
/// on disk with the rooms its using directives name.
/// </summary>
[TestClass]
public sealed class ArchitectureTests
{
    private static readonly string[] BaseRooms = { "Configuration", "Privacy", "Runtime", "Model" };

    private static string SharedFolder => Path.Combine(SolutionUnderTest.RepositoryRoot, "Shared");

    [TestMethod]
    public void BaseRooms_UseNoFeatureRoom()
    {
        var offences = new List<string>();
        foreach (var room in BaseRooms.Where(r => Directory.Exists(Path.Combine(SharedFolder, r))))
        {
            foreach (var (file, used) in RoomsUsed(room))
            {
                if (used != room && !BaseRooms.Contains(used))
                {
                    offences.Add($"{file} uses EmergencySolution.{used}");
                }
            }
        }

        Assert.AreEqual(0, offences.Count, "A base room uses a feature room:\n" + string.Join("\n", offences));
    }

    [TestMethod]
    public void Shared_NeverNamesTheRegisteredClassesNamespaces()
    {
        var offences = Directory.EnumerateFiles(SharedFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"\bEmergencySolution\.(Plugins|CustomApis)\b"))
            .Select(Relative)
            .ToList();

        Assert.AreEqual(0, offences.Count,
            "Shared/ is compiled into both assemblies and must not name either one's registered classes:\n" + string.Join("\n", offences));
    }

    [TestMethod]
    public void ArchitectureGuide_NamesEveryRoom()
    {
        var guide = File.ReadAllText(Path.Combine(SolutionUnderTest.RepositoryRoot, "docs", "architecture.md"));
        var missing = Directory.EnumerateDirectories(SharedFolder)
            .Select(Path.GetFileName)
            .Where(room => !guide.Contains("| `" + room + "/`", StringComparison.Ordinal))
            .ToList();

        Assert.AreEqual(0, missing.Count, "docs/architecture.md's room table lacks: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void ArchitectureGuide_UsesColumn_IsWhatTheUsingDirectivesSay()
    {
        var guide = File.ReadAllLines(Path.Combine(SolutionUnderTest.RepositoryRoot, "docs", "architecture.md"));
        var drift = new List<string>();
        foreach (var room in Directory.EnumerateDirectories(SharedFolder).Select(d => Path.GetFileName(d)!))
        {
            var row = guide.FirstOrDefault(l => l.StartsWith("| `" + room + "/`", StringComparison.Ordinal));
            if (row == null)
            {
                continue; // ArchitectureGuide_NamesEveryRoom reports it
            }

            var cells = row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var stated = cells[^1].Split(',').Select(c => c.Trim()).Where(c => c.Length > 0 && c != "—").ToList();
            var isBase = BaseRooms.Contains(room);
            var statedRooms = new SortedSet<string>(stated.Where(c => c != "base rooms"), StringComparer.Ordinal);
            var actual = new SortedSet<string>(
                RoomsUsed(room).Select(u => u.Room).Where(u => u != room && (isBase || !BaseRooms.Contains(u))),
                StringComparer.Ordinal);
            if (!statedRooms.SetEquals(actual))
            {
                var expected = string.Join(", ", actual.Concat(isBase ? Array.Empty<string>() : new[] { "base rooms" }));
                drift.Add($"`{room}/` says \"{cells[^1]}\"; its using directives say \"{(expected.Length == 0 ? "—" : expected)}\"");
            }
        }

        Assert.AreEqual(0, drift.Count, "Update the \"uses (today)\" column of docs/architecture.md's room table:\n" + string.Join("\n", drift));
    }

    private static IEnumerable<(string File, string Room)> RoomsUsed(string room) =>
        from file in Directory.EnumerateFiles(Path.Combine(SharedFolder, room), "*.cs", SearchOption.AllDirectories)
        from Match m in Regex.Matches(File.ReadAllText(file), @"^\s*using\s+(?:static\s+)?EmergencySolution\.(\w+)", RegexOptions.Multiline)
        select (Relative(file), m.Groups[1].Value);

    private static string Relative(string path) => Path.GetRelativePath(SolutionUnderTest.RepositoryRoot, path).Replace('\\', '/');
}
