using System.Text;
using System.Text.RegularExpressions;
using EmergencySolution.Tests.Support;

namespace EmergencySolution.Tests.Docs;

/// <summary>
/// Keeps the docs honest about the repository: the guide's test sample is the compiled one, every relative link in
/// README.md, docs/ and the other Markdown files resolves (file and heading), and every repository path, plugin or
/// custom API class and solution privilege they name exists as spelled.
/// </summary>
[TestClass]
public sealed class DocsTests
{
    private const string SamplePath = "Tests/EmergencySolution.Tests/Docs/HowToWriteATestSample.cs";
    private const string SampleMarker = "<!-- compiled sample: " + SamplePath + " -->";

    /// <summary>Build and test output, git-ignored: named by the docs, absent from a fresh clone.</summary>
    private static readonly string[] GeneratedPrefixes = { "out/", "WebResources/dist", "WebResources/test-output", "WebResources/node_modules" };

    private static string Root => SolutionUnderTest.RepositoryRoot;

    [TestMethod]
    public void DeveloperGuide_HowToWriteATest_IsTheCompiledSample()
    {
        var source = File.ReadAllLines(Path.Combine(Root, SamplePath));
        var begin = Array.FindIndex(source, l => l.Trim() == "// docs/developer.md sample: begin");
        var end = Array.FindIndex(source, l => l.Trim() == "// docs/developer.md sample: end");
        Assert.IsTrue(begin >= 0 && end > begin, SamplePath + " lost its sample markers.");
        var sample = string.Join("\n", source.Skip(begin + 1).Take(end - begin - 1)).Trim('\n');

        var guide = File.ReadAllLines(Path.Combine(Root, "docs", "developer.md"));
        var marker = Array.FindIndex(guide, l => l.Trim() == SampleMarker);
        Assert.IsTrue(marker >= 0, "docs/developer.md has no line " + SampleMarker + " before the sample's code block.");
        var open = Array.FindIndex(guide, marker + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(guide, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        Assert.IsTrue(open == marker + 1 && close > open, "the sample's code block must follow the marker line in docs/developer.md.");
        var shown = string.Join("\n", guide.Skip(open + 1).Take(close - open - 1)).Trim('\n');

        Assert.AreEqual(sample, shown,
            "docs/developer.md's sample differs from " + SamplePath + ": copy the region between the markers into the guide.");
    }

    [TestMethod]
    public void Docs_EveryRelativeLink_ResolvesToAFileAndHeading()
    {
        var broken = new List<string>();
        foreach (var doc in Documents())
        {
            foreach (var (line, target) in Links(doc))
            {
                if (Regex.IsMatch(target, "^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase))
                {
                    continue; // http(s), mailto: not checked here (no internet)
                }

                var hash = target.IndexOf('#');
                var pathPart = hash >= 0 ? target.Substring(0, hash) : target;
                var anchor = hash >= 0 ? target.Substring(hash + 1) : null;
                var resolved = pathPart.Length == 0
                    ? doc
                    : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc)!, Uri.UnescapeDataString(pathPart)));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{Relative(doc)}:{line}: {target} (no such file)");
                    continue;
                }

                if (anchor != null && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                    && !HeadingSlugs(resolved).Contains(anchor))
                {
                    broken.Add($"{Relative(doc)}:{line}: {target} (no such heading in {Relative(resolved)})");
                }
            }
        }

        Assert.AreEqual(0, broken.Count, "Broken links:\n" + string.Join("\n", broken));
    }

    [TestMethod]
    public void Docs_EveryRepositoryPathNamed_Exists()
    {
        var topLevel = new HashSet<string>(
            Directory.EnumerateFileSystemEntries(Root).Select(Path.GetFileName).Where(n => n != null && n != "out")!,
            StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var doc in Documents())
        {
            foreach (var (line, path) in CodeWords(doc))
            {
                var candidate = path.TrimEnd('/', '.', ':');
                var first = candidate.Split('/')[0];
                if (!candidate.Contains('/') || !topLevel.Contains(first) || candidate.IndexOfAny(new[] { '*', '{', '<', '…', '?', '$', '[' }) >= 0
                    || GeneratedPrefixes.Any(p => candidate.StartsWith(p, StringComparison.Ordinal)) || candidate.Contains("/bin/"))
                {
                    continue;
                }

                var full = Path.Combine(Root, candidate);
                if (!File.Exists(full) && !Directory.Exists(full))
                {
                    missing.Add($"{Relative(doc)}:{line}: `{path}`");
                }
            }
        }

        Assert.AreEqual(0, missing.Count, "Paths named in the docs that do not exist:\n" + string.Join("\n", missing));
    }

    [TestMethod]
    public void Docs_EveryPluginOrApiTypeNamed_Exists()
    {
        var sources = string.Join("\n",
            from folder in new[] { "Plugins", "CustomApis", "Shared", "Sdk", "Tests/InMemoryDataverse" }
            from file in Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            where !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            select File.ReadAllText(file));
        var missing = (
            from doc in Documents()
            from code in InlineCode(doc)
            where Regex.IsMatch(code.Code, @"^[A-Z]\w*(Plugin|Api)$") && !Regex.IsMatch(sources, @"\b" + code.Code + @"\b")
            select $"{Relative(doc)}:{code.Line}: `{code.Code}`").ToList();

        Assert.AreEqual(0, missing.Count, "Plugin or custom API types named in the docs that the code does not have:\n" + string.Join("\n", missing));
    }

    [TestMethod]
    public void Docs_EverySolutionPrivilegeNamed_IsSpelledAsTheRolesSpellIt()
    {
        var roles = string.Join("\n", Directory.EnumerateFiles(Path.Combine(Root, "SolutionPackage", "src", "Roles"), "*.xml").Select(File.ReadAllText));
        var shipped = new HashSet<string>(Regex.Matches(roles, "RolePrivilege name=\"([^\"]+)\"").Select(m => m.Groups[1].Value), StringComparer.Ordinal);
        var wrong = (
            from doc in Documents()
            from code in InlineCode(doc)
            where Regex.IsMatch(code.Code, @"^prv\w+emc_\w+$") && !shipped.Contains(code.Code)
            select $"{Relative(doc)}:{code.Line}: `{code.Code}`").ToList();

        Assert.AreEqual(0, wrong.Count, "Privileges named in the docs that no shipped role holds as spelled:\n" + string.Join("\n", wrong));
    }

    [TestMethod]
    public void Readme_StaysShort()
    {
        var size = new FileInfo(Path.Combine(Root, "README.md")).Length;
        Assert.IsTrue(size <= 20 * 1024, $"README.md is {size} bytes; keep it at most 20 KB and move detail into docs/.");
    }

    /// <summary>README.md, docs/ and every other Markdown file of the repository (not build output or packages).</summary>
    private static IEnumerable<string> Documents() =>
        Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories)
            .Where(f => !Relative(f).Split('/').Any(part => IgnoredFolders.Contains(part)))
            .OrderBy(f => f, StringComparer.Ordinal);

    private static readonly HashSet<string> IgnoredFolders = new(StringComparer.Ordinal)
    {
        ".git", "node_modules", "bin", "obj", "out", "TestResults", "test-output", "dist", "reference-exports",
    };

    /// <summary>The lines of a Markdown file, with their 1-based numbers and whether they sit in a fenced code block
    /// (the fence lines themselves left out).</summary>
    private static IEnumerable<(int Line, string Text, bool InFence)> MarkdownLines(string doc)
    {
        var inFence = false;
        var number = 0;
        foreach (var text in File.ReadLines(doc))
        {
            number++;
            if (text.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            yield return (number, text, inFence);
        }
    }

    /// <summary>The lines of a Markdown file outside fenced code blocks, with their 1-based numbers.</summary>
    private static IEnumerable<(int Line, string Text)> ProseLines(string doc) =>
        MarkdownLines(doc).Where(l => !l.InFence).Select(l => (l.Line, l.Text));

    private static IEnumerable<(int Line, string Target)> Links(string doc) =>
        from line in ProseLines(doc)
        from Match m in Regex.Matches(StripInlineCode(line.Text), @"\]\(([^)\s]+)\)")
        select (line.Line, m.Groups[1].Value);

    private static IEnumerable<(int Line, string Code)> InlineCode(string doc) =>
        from line in ProseLines(doc)
        from Match m in Regex.Matches(line.Text, "`([^`]+)`")
        select (line.Line, m.Groups[1].Value);

    /// <summary>
    /// The words of every code span and fenced code line (commands included), split where a path cannot continue;
    /// the candidates for repository paths.
    /// </summary>
    private static IEnumerable<(int Line, string Word)> CodeWords(string doc)
    {
        foreach (var (number, text, inFence) in MarkdownLines(doc))
        {
            var code = inFence ? new[] { text } : Regex.Matches(text, "`([^`]+)`").Select(m => m.Groups[1].Value).ToArray();
            foreach (var word in code.SelectMany(c => c.Split(WordBreaks, StringSplitOptions.RemoveEmptyEntries)))
            {
                yield return (number, word);
            }
        }
    }

    private static readonly char[] WordBreaks = { ' ', '\t', '"', '\'', '(', ')', '=', ',', ';', '|', '>' };

    private static string StripInlineCode(string text) => Regex.Replace(text, "`[^`]*`", "``");

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> HeadingSlugs(string doc)
    {
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, text) in ProseLines(doc))
        {
            var heading = Regex.Match(text, @"^#{1,6}\s+(.*?)\s*#*\s*$");
            if (!heading.Success)
            {
                continue;
            }

            var builder = new StringBuilder();
            foreach (var c in heading.Groups[1].Value.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c == '-' || c == '_')
                {
                    builder.Append(c);
                }
                else if (c == ' ')
                {
                    builder.Append('-');
                }
            }

            var slug = builder.ToString();
            var count = seen.TryGetValue(slug, out var n) ? n : 0;
            seen[slug] = count + 1;
            slugs.Add(count == 0 ? slug : slug + "-" + count);
        }

        return slugs;
    }

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');
}
