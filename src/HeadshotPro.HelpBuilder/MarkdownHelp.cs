using System.Text.RegularExpressions;

namespace HeadshotPro.HelpBuilder;

/// <summary>Reads cmdlet help pages written in platyPS's markdown layout.</summary>
public static partial class MarkdownHelp
{
    private sealed class Block
    {
        public Block(string? title) => Title = title;
        public string? Title { get; }
        public List<string> Lines { get; } = new();
    }

    public static CommandHelp Parse(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var start = 0;
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            start = Array.FindIndex(lines, 1, l => l.Trim() == "---") + 1;
            if (start == 0) throw new FormatException("The front matter has no closing '---'.");
        }

        string? name = null;
        var sections = new Dictionary<string, List<Block>>(StringComparer.OrdinalIgnoreCase);
        List<Block>? current = null;
        var inFence = false;
        foreach (var line in lines.Skip(start))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            else if (!inFence && line.StartsWith("### ", StringComparison.Ordinal) && current != null)
            {
                current.Add(new Block(line[4..].Trim()));
                continue;
            }
            else if (!inFence && line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = new List<Block> { new(null) };
                sections[line[3..].Trim()] = current;
                continue;
            }
            else if (!inFence && line.StartsWith("# ", StringComparison.Ordinal) && name == null)
            {
                name = line[2..].Trim();
                continue;
            }
            current?[^1].Lines.Add(line);
        }
        if (name == null) throw new FormatException("The page has no '# Command-Name' heading.");

        List<Block> Section(string title) => sections.TryGetValue(title, out var blocks) ? blocks : new List<Block>();
        IEnumerable<Block> Subsections(string title) => Section(title).Where(b => b.Title != null);

        return new CommandHelp(
            name,
            string.Join(" ", Paragraphs(Section("SYNOPSIS").SelectMany(b => b.Lines))),
            Paragraphs(Section("DESCRIPTION").SelectMany(b => b.Lines)),
            Section("SYNTAX").Select(b => (b.Title, Code: FencedCode(b.Lines))).Where(s => s.Code.Length > 0)
                .Select(s => new SyntaxSet(s.Title, ParseSyntax(name, s.Code))).ToList(),
            Subsections("PARAMETERS").Select(ParseParameter).ToList(),
            Subsections("EXAMPLES").Select(b => new ExampleHelp(b.Title!, FencedCode(b.Lines), Paragraphs(OutsideFences(b.Lines)))).ToList(),
            Subsections("INPUTS").Select(b => new TypeHelp(b.Title!, Paragraphs(b.Lines))).ToList(),
            Subsections("OUTPUTS").Select(b => new TypeHelp(b.Title!, Paragraphs(b.Lines))).ToList(),
            Paragraphs(Section("NOTES").SelectMany(b => b.Lines)),
            Section("RELATED LINKS").SelectMany(b => b.Lines).SelectMany(l => LinkPattern().Matches(l))
                .Select(m => new LinkHelp(m.Groups[1].Value, m.Groups[2].Value)).ToList());
    }

    private static ParameterHelp ParseParameter(Block block)
    {
        var yaml = FencedCode(block.Lines).Split('\n')
            .Select(l => l.Split(':', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim(), StringComparer.OrdinalIgnoreCase);
        string Get(string key, string fallback) => yaml.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
        static IReadOnlyList<string> List(string value) =>
            value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        return new ParameterHelp(
            block.Title!.TrimStart('-'),
            Paragraphs(OutsideFences(block.Lines)),
            Get("Type", "Object"),
            List(Get("Parameter Sets", "(All)")),
            Get("Aliases", "none"),
            string.Equals(Get("Required", "False"), "True", StringComparison.OrdinalIgnoreCase),
            Get("Position", "Named"),
            Get("Default value", "None"),
            Get("Accept pipeline input", "False"),
            string.Equals(Get("Accept wildcard characters", "False"), "True", StringComparison.OrdinalIgnoreCase),
            List(Get("Accepted values", "")));
    }

    public static IReadOnlyList<SyntaxParameter> ParseSyntax(string command, string code)
    {
        var text = code.Trim();
        if (text.StartsWith(command, StringComparison.OrdinalIgnoreCase)) text = text[command.Length..];
        return SyntaxToken().Matches(text).Select(m =>
        {
            var type = m.Groups["type"].Success ? m.Groups["type"].Value : null;
            var positional = m.Groups["c1"].Success && type != null;
            var required = positional ? !m.Groups["o2"].Success : !m.Groups["o1"].Success;
            return new SyntaxParameter(m.Groups["name"].Value, type, required, positional);
        }).ToList();
    }

    /// <summary>Blank-line separated paragraphs, each on one line.</summary>
    public static IReadOnlyList<string> Paragraphs(IEnumerable<string> lines)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var line in lines.Append(""))
        {
            if (line.Trim().Length == 0)
            {
                if (current.Count > 0) paragraphs.Add(string.Join(" ", current));
                current.Clear();
            }
            else current.Add(line.Trim());
        }
        return paragraphs;
    }

    private static string FencedCode(IEnumerable<string> lines)
    {
        var code = new List<string>();
        var inFence = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (inFence) break;
                inFence = true;
                continue;
            }
            if (inFence) code.Add(line);
        }
        return string.Join("\n", code).Trim();
    }

    private static IEnumerable<string> OutsideFences(IEnumerable<string> lines)
    {
        var inFence = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            else if (!inFence) yield return line;
        }
    }

    [GeneratedRegex(@"(?<o1>\[)?(?<o2>\[)?-(?<name>[A-Za-z]\w*)(?<c1>\])?(?:\s+<(?<type>[^>]+)>)?(?<c2>\])?")]
    private static partial Regex SyntaxToken();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)]*)\)")]
    private static partial Regex LinkPattern();
}
