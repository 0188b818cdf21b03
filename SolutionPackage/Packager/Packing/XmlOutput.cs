using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace EmergencySolution.Packager.Packing;

/// <summary>One way to write XML everywhere, so the same input always gives the same bytes.</summary>
public static class XmlOutput
{
    private static XmlWriterSettings Settings => new()
    {
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\r\n",
        NewLineHandling = NewLineHandling.Replace,
        OmitXmlDeclaration = true,
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
    };

    public static byte[] ToBytes(XDocument document)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, Settings)) document.Save(writer);
        return stream.ToArray();
    }

    public static void Save(XDocument document, string path)
    {
        var bytes = ToBytes(document);
        File.WriteAllBytes(path, bytes.Concat(Encoding.UTF8.GetBytes("\r\n")).ToArray());
    }
}
