using System.Xml.Linq;

namespace HeadshotPro.HelpBuilder;

/// <summary>Writes cmdlet help as MAML, the XML that Get-Help reads from &lt;Assembly&gt;.dll-Help.xml.</summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CommandHelp> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                commands.Select(CommandElement)));

    private static XElement CommandElement(CommandHelp help)
    {
        var dash = help.Name.IndexOf('-');
        var parameters = help.Parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", dash > 0 ? help.Name[..dash] : help.Name),
                new XElement(Command + "noun", dash > 0 ? help.Name[(dash + 1)..] : ""),
                Description(new[] { help.Synopsis })),
            Description(help.Description),
            new XElement(Command + "syntax", help.Syntax.Select(set =>
                new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", help.Name),
                    set.Parameters.Select(p => ParameterElement(
                        parameters.TryGetValue(p.Name, out var detail) ? detail : null, p.Name, p.Type, p.Required))))),
            new XElement(Command + "parameters", help.Parameters.Select(p => ParameterElement(p, p.Name, p.Type, p.Required))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t =>
                new XElement(Command + "inputType", TypeElement(t.Name), Description(t.Description)))),
            new XElement(Command + "returnValues", help.Outputs.Select(t =>
                new XElement(Command + "returnValue", TypeElement(t.Name), Description(t.Description)))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", help.Notes.Select(Para))),
            new XElement(Command + "examples", help.Examples.Select(e =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", e.Remarks.Select(Para))))),
            new XElement(Command + "relatedLinks", help.Links.Select(l =>
                new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    new XElement(Maml + "uri", l.Uri.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? "" : l.Uri)))));
    }

    private static XElement ParameterElement(ParameterHelp? detail, string name, string? syntaxType, bool required)
    {
        var type = detail?.Type ?? syntaxType ?? "SwitchParameter";
        var isSwitch = type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase);
        var position = detail?.Position ?? "named";
        return new XElement(Command + "parameter",
            new XAttribute("required", required ? "true" : "false"),
            new XAttribute("variableLength", type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", detail?.Wildcards == true ? "true" : "false"),
            new XAttribute("pipelineInput", detail?.PipelineInput ?? "False"),
            new XAttribute("position", position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position),
            new XAttribute("aliases", detail?.Aliases ?? "none"),
            new XElement(Maml + "name", name),
            Description(detail?.Description ?? Array.Empty<string>()),
            detail is { AcceptedValues.Count: > 0 }
                ? new XElement(Command + "parameterValueGroup", detail.AcceptedValues.Select(v =>
                    new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)))
                : null,
            isSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), type),
            TypeElement(type),
            new XElement(Dev + "defaultValue", detail?.DefaultValue ?? "None"));
    }

    private static XElement TypeElement(string name) =>
        new(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", paragraphs.Select(Para));

    // Inline code marks are for the markdown; help text shows the words alone.
    private static XElement Para(string text) => new(Maml + "para", text.Replace("`", ""));
}
