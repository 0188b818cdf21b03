using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace EmergencySolution.SolutionReader
{
    /// <summary>
    /// The files of SolutionPackage/src, read one at a time. A file that is not well-formed XML, or a required one that
    /// is missing, becomes a <see cref="CheckFailure"/> in <see cref="Failures"/> and reads as null: reading never throws.
    /// </summary>
    internal sealed class SourceFolder
    {
        private readonly List<CheckFailure> failures = new List<CheckFailure>();

        public SourceFolder(string srcDirectory)
        {
            Root = Path.GetFullPath(srcDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        }

        public string Root { get; }

        public IReadOnlyList<CheckFailure> Failures => failures;

        public void Fail(string fullOrRelativePath, string reason) => failures.Add(new CheckFailure(Rel(fullOrRelativePath), reason));

        /// <summary>The path relative to src, with forward slashes.</summary>
        public string Rel(string full)
        {
            var relative = full.StartsWith(Root, StringComparison.Ordinal) ? full.Substring(Root.Length).TrimStart('/', '\\') : full;
            return relative.Replace('\\', '/');
        }

        public string Full(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

        public SourceXml? Read(string full)
        {
            try
            {
                return new SourceXml(Rel(full), XDocument.Load(full, LoadOptions.None));
            }
            catch (XmlException ex)
            {
                Fail(full, $"not well-formed XML: {ex.Message}");
                return null;
            }
        }

        public SourceXml? ReadRequired(string relative)
        {
            if (File.Exists(Full(relative))) return Read(Full(relative));
            Fail(relative, "missing: every unpacked solution has this file");
            return null;
        }

        public SourceXml? ReadOptional(string relative) => File.Exists(Full(relative)) ? Read(Full(relative)) : null;

        /// <summary>The well-formed files of a folder (relative to src), in ordinal order.</summary>
        public List<SourceXml> ReadAll(string relativeFolder, string pattern, SearchOption option = SearchOption.TopDirectoryOnly) =>
            Files(relativeFolder, pattern, option).Select(Read).OfType<SourceXml>().ToList();

        /// <summary>
        /// Each subfolder of a component folder with its one defining file (Entities/*/Entity.xml, customapis/*/customapi.xml, …);
        /// a subfolder without that file is a failure with <paramref name="missing"/>, a file that is not XML one too.
        /// </summary>
        public IEnumerable<(string Folder, SourceXml File)> ComponentFolders(string relativeFolder, string fileName, string missing)
        {
            foreach (var folder in Folders(relativeFolder))
            {
                var path = Path.Combine(folder, fileName);
                if (!File.Exists(path))
                {
                    Fail(folder, missing);
                    continue;
                }
                if (Read(path) is { } file) yield return (folder, file);
            }
        }

        public IEnumerable<string> Files(string relativeFolder, string pattern, SearchOption option = SearchOption.TopDirectoryOnly)
        {
            var dir = Full(relativeFolder);
            return Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir, pattern, option).OrderBy(f => f, StringComparer.Ordinal)
                : Enumerable.Empty<string>();
        }

        public IEnumerable<string> Folders(string relativeFolder)
        {
            var dir = Full(relativeFolder);
            return Directory.Exists(dir)
                ? Directory.EnumerateDirectories(dir).OrderBy(f => f, StringComparer.Ordinal)
                : Enumerable.Empty<string>();
        }
    }
}
