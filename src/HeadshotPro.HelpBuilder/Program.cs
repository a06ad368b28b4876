// Builds the module's help from docs/en-US: <Cmdlet>.md pages into one MAML file, about_*.md into about_*.help.txt.
// usage: HeadshotPro.HelpBuilder <docs/en-US folder> <output en-US folder> <assembly file name, e.g. HeadshotPro.dll>
using HeadshotPro.HelpBuilder;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: HeadshotPro.HelpBuilder <markdown folder> <output folder> <assembly file name>");
    return 2;
}
var (source, target, assembly) = (args[0], args[1], args[2]);
Directory.CreateDirectory(target);

var pages = Directory.GetFiles(source, "*.md").Order(StringComparer.Ordinal).ToList();
var commands = new List<CommandHelp>();
foreach (var page in pages)
{
    var name = Path.GetFileNameWithoutExtension(page);
    var markdown = File.ReadAllText(page);
    if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
    {
        File.WriteAllText(Path.Combine(target, name + ".help.txt"), AboutWriter.Write(markdown));
        continue;
    }
    try
    {
        commands.Add(MarkdownHelp.Parse(markdown));
    }
    catch (FormatException e)
    {
        Console.Error.WriteLine($"{page}: {e.Message}");
        return 1;
    }
}
var maml = Path.Combine(target, assembly + "-Help.xml");
MamlWriter.Write(commands).Save(maml);
Console.WriteLine($"Help: {commands.Count} cmdlet pages into {maml}, {pages.Count - commands.Count} about topics.");
return 0;
