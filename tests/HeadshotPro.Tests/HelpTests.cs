using System.Management.Automation;
using System.Xml.Linq;
using HeadshotPro.HelpBuilder;

namespace HeadshotPro.Tests;

public class HelpTests
{
    private static readonly string Docs = Path.Combine(RepoPaths.Root, "docs", "en-US");

    private static Dictionary<string, CommandHelp> Pages() =>
        Directory.GetFiles(Docs, "*.md").Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.Ordinal))
            .Select(f => MarkdownHelp.Parse(File.ReadAllText(f))).ToDictionary(p => p.Name);

    private static readonly HashSet<string> CommonParameters = new(
        System.Management.Automation.Cmdlet.CommonParameters.Concat(System.Management.Automation.Cmdlet.OptionalCommonParameters)
            .Except(new[] { "WhatIf", "Confirm" }), StringComparer.OrdinalIgnoreCase);

    [Theory(Timeout = Limits.Test)]
    [InlineData("[-Email] <Object[]>", "Email", "Object[]", true, true)]
    [InlineData("[[-Email] <String>]", "Email", "String", false, true)]
    [InlineData("-Credential <PSCredential>", "Credential", "PSCredential", true, false)]
    [InlineData("[-TeamId <String>]", "TeamId", "String", false, false)]
    [InlineData("[-SkipExisting]", "SkipExisting", null, false, false)]
    public Task Syntax_lines_say_which_parameters_are_required_and_positional(string token, string name, string? type, bool required, bool positional) => Task.Run(() =>
    {
        var parameter = Assert.Single(MarkdownHelp.ParseSyntax("Verb-Noun", "Verb-Noun " + token + " [<CommonParameters>]"));
        Assert.Equal(new SyntaxParameter(name, type, required, positional), parameter);
    });

    [Fact(Timeout = Limits.Test)]
    public Task A_page_becomes_MAML_with_its_synopsis_parameters_examples_and_types() => Task.Run(() =>
    {
        var page = MarkdownHelp.Parse("""
            ---
            schema: 2.0.0
            ---
            # Get-Thing

            ## SYNOPSIS
            Gets things.

            ## SYNTAX
            ```
            Get-Thing [-Name] <String> [-All] [<CommonParameters>]
            ```

            ## DESCRIPTION
            First paragraph
            goes on.

            Second `paragraph`.

            ## EXAMPLES

            ### Example 1: One
            ```powershell
            Get-Thing a
            ```
            It gets a.

            ## PARAMETERS

            ### -Name
            The name.

            ```yaml
            Type: String
            Required: True
            Position: 0
            Accept pipeline input: True (ByValue)
            Accept wildcard characters: True
            ```

            ## INPUTS

            ### System.String
            A name.

            ## OUTPUTS

            ### Thing

            ## RELATED LINKS
            [Online](https://example.test/thing)
            """);
        Assert.Equal("Gets things.", page.Synopsis);
        Assert.Equal(new[] { "First paragraph goes on.", "Second `paragraph`." }, page.Description);
        Assert.Equal(("Example 1: One", "Get-Thing a", "It gets a."), (page.Examples[0].Title, page.Examples[0].Code, page.Examples[0].Remarks.Single()));

        var maml = MamlWriter.Write(new[] { page }).ToString();
        var doc = XDocument.Parse(maml);
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace maml_ = "http://schemas.microsoft.com/maml/2004/10";
        var cmd = doc.Root!.Element(command + "command")!;
        Assert.Equal("Get-Thing", cmd.Element(command + "details")!.Element(command + "name")!.Value);
        Assert.Equal("Get", cmd.Element(command + "details")!.Element(command + "verb")!.Value);
        var name = cmd.Element(command + "parameters")!.Elements(command + "parameter").Single();
        Assert.Equal(("true", "0", "true", "True (ByValue)"), ((string)name.Attribute("required")!, (string)name.Attribute("position")!,
            (string)name.Attribute("globbing")!, (string)name.Attribute("pipelineInput")!));
        Assert.Equal(2, cmd.Element(command + "syntax")!.Element(command + "syntaxItem")!.Elements(command + "parameter").Count());
        Assert.Contains("Second paragraph.", maml);
        Assert.Equal("https://example.test/thing", cmd.Descendants(maml_ + "uri").Last().Value);
    });

    [Fact(Timeout = Limits.Test)]
    public Task About_pages_become_plain_text_topics() => Task.Run(() =>
    {
        var text = AboutWriter.Write("# about_Thing\n\n## SHORT DESCRIPTION\nThings.\n\n### Detail\nMore.\n\n    Get-Thing\n");
        Assert.StartsWith("TOPIC\n    about_Thing\n", text.Replace("\r\n", "\n"));
        Assert.Contains("SHORT DESCRIPTION\n    Things.", text.Replace("\r\n", "\n"));
        Assert.Contains("    DETAIL\n    More.", text.Replace("\r\n", "\n"));
    });

    [Fact(Timeout = Limits.Test)]
    public Task Every_cmdlet_parameter_and_parameter_set_is_documented_with_at_least_three_examples() => Task.Run(() =>
    {
        var pages = Pages();
        using var host = new PowerShellHost();
        var commands = host.Run("Get-Command -Module HeadshotPro -CommandType Cmdlet").Output.Select(o => (CommandInfo)o.BaseObject).ToList();
        Assert.True(commands.Count >= 9);
        Assert.Equal(commands.Select(c => c.Name).Order(), pages.Keys.Order());

        foreach (var command in commands)
        {
            var page = pages[command.Name];
            Assert.False(string.IsNullOrWhiteSpace(page.Synopsis), $"{command.Name}: no synopsis");
            Assert.NotEmpty(page.Description);
            var actual = command.Parameters.Keys.Where(p => !CommonParameters.Contains(p)).Order().ToList();
            Assert.Equal(actual, page.Parameters.Select(p => p.Name).Order().ToList());
            foreach (var parameter in page.Parameters)
            {
                Assert.NotEmpty(parameter.Description);
                var metadata = command.Parameters[parameter.Name];
                var isSwitch = metadata.ParameterType == typeof(SwitchParameter);
                if (!isSwitch) Assert.Equal(TypeName(metadata.ParameterType), parameter.Type);
            }
            Assert.True(page.Examples.Count >= 3, $"{command.Name} has {page.Examples.Count} examples");
            NonEmpty.All(page.Examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Code), $"{command.Name}: '{e.Title}' has no code"));
            Assert.Equal(command.ParameterSets.Count, page.Syntax.Count);
            // A cmdlet without parameters of its own (Disconnect-HeadshotPro) has none in its syntax.
            foreach (var p in page.Syntax.SelectMany(s => s.Parameters)) Assert.Contains(p.Name, (IDictionary<string, ParameterMetadata>)command.Parameters);
            Assert.NotEmpty(page.Outputs);
        }
    });

    [Fact(Timeout = Limits.Test)]
    public Task The_examples_cover_what_admins_do() => Task.Run(() =>
    {
        var code = string.Join("\n", Pages().Values.SelectMany(p => p.Examples).Select(e => e.Code));
        foreach (var needle in new[] { "Get-ADUser -Filter", "-Properties mail | New-HeadshotInvite", "Get-MgGroupMember", "Get-MgUser", "Import-Csv",
                     "-WhatIf", "Get-AutomationPSCredential", "-SkipExisting", "Revoke-HeadshotInvite -Force", "Group-Object Status" })
            Assert.Contains(needle, code);
    });

    private static string TypeName(Type type) =>
        type.IsArray ? TypeName(type.GetElementType()!) + "[]" : type.Name;
}
