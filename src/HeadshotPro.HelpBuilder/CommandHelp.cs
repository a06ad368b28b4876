namespace HeadshotPro.HelpBuilder;

/// <summary>One cmdlet's help page, as read from its markdown (the platyPS layout).</summary>
public sealed record CommandHelp(
    string Name,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<LinkHelp> Links);

public sealed record SyntaxSet(string? Name, IReadOnlyList<SyntaxParameter> Parameters);

/// <summary>A parameter as a syntax line shows it: <c>[-Name] &lt;Type&gt;</c> is positional, an outer [ ] optional.</summary>
public sealed record SyntaxParameter(string Name, string? Type, bool Required, bool Positional);

public sealed record ParameterHelp(
    string Name,
    IReadOnlyList<string> Description,
    string Type,
    IReadOnlyList<string> ParameterSets,
    string Aliases,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Wildcards,
    IReadOnlyList<string> AcceptedValues);

public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

public sealed record TypeHelp(string Name, IReadOnlyList<string> Description);

public sealed record LinkHelp(string Text, string Uri);
