using System.Text;

namespace HeadshotPro.HelpBuilder;

/// <summary>Turns an about_*.md page into the plain text Get-Help shows for about topics.</summary>
public static class AboutWriter
{
    private const string Indent = "    ";

    public static string Write(string markdown)
    {
        var text = new StringBuilder();
        var inFence = false;
        foreach (var raw in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { inFence = !inFence; continue; }
            if (inFence) text.AppendLine(Indent + Indent + line);
            else if (line.StartsWith("# ", StringComparison.Ordinal)) text.AppendLine("TOPIC").AppendLine(Indent + line[2..].Trim());
            else if (line.StartsWith("## ", StringComparison.Ordinal)) text.AppendLine().AppendLine(line[3..].Trim().ToUpperInvariant());
            else if (line.StartsWith("### ", StringComparison.Ordinal)) text.AppendLine(Indent + line[4..].Trim().ToUpperInvariant());
            else if (line.Length == 0) text.AppendLine();
            else text.AppendLine(Indent + line);
        }
        return text.ToString();
    }
}
