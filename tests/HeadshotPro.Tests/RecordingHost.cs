using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace HeadshotPro.Tests;

/// <summary>A PowerShell host that keeps the progress records it is given; its name decides whether it looks interactive.</summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUI _ui = new();

    public RecordingHost(string name) => Name = name;

    public override string Name { get; }
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public IReadOnlyList<ProgressRecord> Progress => _ui.Progress.ToList();

    /// <summary>The lines written to the host (what a console shows, e.g. -WhatIf's "What if:" lines and warnings).</summary>
    public IReadOnlyList<string> Lines => _ui.Lines.ToList();

    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class RecordingUI : PSHostUserInterface
    {
        public ConcurrentQueue<ProgressRecord> Progress { get; } = new();
        public ConcurrentQueue<string> Lines { get; } = new();
        public override PSHostRawUserInterface? RawUI => null;
        public override void WriteProgress(long sourceId, ProgressRecord record) => Progress.Enqueue(record);
        public override string ReadLine() => throw new NotSupportedException("no prompts in tests");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("no prompts in tests");
        public override void Write(string value) => Lines.Enqueue(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Enqueue(value);
        public override void WriteLine(string value) => Lines.Enqueue(value);
        public override void WriteErrorLine(string value) => Lines.Enqueue(value);
        public override void WriteDebugLine(string message) => Lines.Enqueue(message);
        public override void WriteVerboseLine(string message) => Lines.Enqueue(message);
        public override void WriteWarningLine(string message) => Lines.Enqueue(message);
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("no prompts in tests");
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("no prompts in tests");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("no prompts in tests");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException("no prompts in tests");
    }
}
