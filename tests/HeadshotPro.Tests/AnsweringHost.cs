using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace HeadshotPro.Tests;

/// <summary>
/// A host that shows its prompts to the test: each confirmation is recorded and answered with <see cref="Answer"/>
/// ("No" by default), and warnings written straight to the host (as a stopping pipeline must) are kept.
/// </summary>
public sealed class AnsweringHost : PSHost
{
    private readonly AnsweringUI _ui = new();

    public override string Name => "AnsweringHost";
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    /// <summary>The label of the choice every prompt gets, e.g. "&amp;No" or "&amp;Yes".</summary>
    public string Answer { get => _ui.Answer; set => _ui.Answer = value; }
    public IReadOnlyList<string> Prompts => _ui.Prompts.ToList();
    public IReadOnlyList<string> HostWarnings => _ui.Warnings.ToList();

    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class AnsweringUI : PSHostUserInterface
    {
        public string Answer = "&No";
        public ConcurrentQueue<string> Prompts { get; } = new();
        public ConcurrentQueue<string> Warnings { get; } = new();
        public override PSHostRawUserInterface? RawUI => null;
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override string ReadLine() => throw new NotSupportedException("no free-text prompts in tests");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("no free-text prompts in tests");
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) => Warnings.Enqueue(message);
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("no field prompts in tests");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Enqueue(caption + ": " + message);
            var index = choices.ToList().FindIndex(c => c.Label == Answer);
            return index >= 0 ? index : throw new InvalidOperationException($"no choice '{Answer}' among {string.Join(", ", choices.Select(c => c.Label))}");
        }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("no credential prompts in tests");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException("no credential prompts in tests");
    }
}
