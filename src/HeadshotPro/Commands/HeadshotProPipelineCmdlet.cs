using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// A cmdlet that streams items through a bounded window of requests in flight (-ThrottleLimit): input is taken only
    /// when there is room, results are written as they complete, and only the pipeline thread writes anything.
    /// When the run ends early (an error under -ErrorAction Stop, a throwing or satisfied downstream command, Ctrl+C),
    /// nothing new is sent, requests already sent get a short grace, and every item whose request was sent but whose
    /// result was not written is named in one warning.
    /// </summary>
    public abstract class HeadshotProPipelineCmdlet : HeadshotProCmdlet
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
        /// <summary>How long requests already sent may still finish when the run ends by an error or a downstream command.</summary>
        private static readonly TimeSpan GraceAfterError = TimeSpan.FromSeconds(2);
        /// <summary>The same after Ctrl+C, which must return within a second.</summary>
        private static readonly TimeSpan GraceAfterStop = TimeSpan.FromMilliseconds(500);

        private readonly BlockingCollection<Completion> _done = new BlockingCollection<Completion>();
        private readonly HashSet<Item> _inFlight = new HashSet<Item>();
        private readonly HashSet<string> _addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly CancellationTokenSource _abandon = new CancellationTokenSource();
        private volatile bool _ending;
        private int _throttleLimit;
        private int _succeeded;
        private int _failed;
        private bool _showProgress;
        private DateTime _lastProgress;
        private int? _total;

        /// <summary>The most requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, Client.HeadshotProClient.MostConcurrentRequests)]
        public int ThrottleLimit { get; set; } = 5;

        /// <summary>The most seconds one request may wait for the rate limit in all; by default the connection's (Connect-HeadshotPro -MaxRetryWaitSec, 300).</summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public int MaxRetryWaitSec { get; set; }

        private protected override TimeSpan? MaxRetryWait =>
            MyInvocation.BoundParameters.ContainsKey(nameof(MaxRetryWaitSec)) ? TimeSpan.FromSeconds(MaxRetryWaitSec) : (TimeSpan?)null;

        /// <summary>The items given as a parameter value, or null; when they came that way, their count is known in advance.</summary>
        protected abstract System.Collections.ICollection? GivenItems { get; }

        protected abstract string Activity { get; }

        /// <summary>What the item's error message starts with, e.g. "Inviting ann@corp.example".</summary>
        protected abstract string Describe(object target);

        /// <summary>
        /// For a command that changes things: what was done (e.g. "Invited") and what may have been done for an item whose
        /// request got no answer before the run stopped (e.g. "may have been invited; run again with -SkipExisting to
        /// reconcile"). Null for a command that only reads.
        /// </summary>
        protected virtual (string Done, string MaybeDone)? StoppedRunWording => null;

        /// <summary>One item in flight: its target, how lines name it, and whether its request may have reached the server.</summary>
        private sealed class Item
        {
            public Item(object target, string label)
            {
                Target = target;
                Label = label;
            }

            public object Target { get; }
            public string Label { get; }
            public volatile bool Sent;
        }

        private sealed class Completion
        {
            public Completion(Item item, object? output, Exception? error)
            {
                Item = item;
                Output = output;
                Error = error;
            }

            public Item Item { get; }
            public object? Output { get; }
            public Exception? Error { get; }
        }

        /// <summary>An item's result that is several objects (a model's photos): each is written on its own.</summary>
        protected sealed class Results
        {
            public Results(System.Collections.IEnumerable items) => Items = items;
            public System.Collections.IEnumerable Items { get; }
        }

        /// <summary>Thrown instead of sending once the run is ending.</summary>
        private sealed class NotSentException : Exception
        {
            public NotSentException() : base("Not sent: the run was stopping.") { }
        }

        protected sealed override void BeginProcessing()
        {
            if (!MyInvocation.ExpectingInput && GivenItems != null) _total = GivenItems.Count;
            _throttleLimit = ThrottleLimit;
            _ = Requests;
            _showProgress = ShowingProgress;
            Guarded(BeginInput);
        }

        protected sealed override void ProcessRecord() => Guarded(ProcessInput);

        protected sealed override void EndProcessing() => Guarded(() =>
        {
            EndInput();
            WaitForAll();
        });

        /// <summary>Checks and reads made once, before any input (everything a worker needs is captured here).</summary>
        protected virtual void BeginInput() { }

        /// <summary>Takes this record's input: calls <see cref="Submit"/> for each item.</summary>
        protected abstract void ProcessInput();

        /// <summary>After the last input, before waiting for the requests in flight.</summary>
        protected virtual void EndInput() { }

        /// <summary>
        /// Queues one item's request once there is room in the window; its result, or its error, is written later.
        /// <paramref name="label"/> names the item in verbose lines and the stopped-run warning (by default the target's
        /// ToString()); the target is the error record's TargetObject.
        /// </summary>
        protected void Submit(object target, Func<RequestOptions, CancellationToken, Task<object?>> work, RequestOptions? options = null, string? label = null)
        {
            while (_inFlight.Count >= _throttleLimit) TakeOne();
            var item = new Item(target, label ?? target.ToString());
            _inFlight.Add(item);
            var given = options ?? Requests;
            var veto = given.Veto;
            var itemOptions = given.WithVeto(() => _ending ? new NotSentException() : veto?.Invoke()).WithSent(sent => item.Sent = sent).WithLabel(item.Label);
            var done = _done;
            var token = _abandon.Token;
            Task.Run(async () =>
            {
                Completion completion;
                try
                {
                    completion = new Completion(item, await work(itemOptions, token).ConfigureAwait(false), null);
                }
                catch (Exception e)
                {
                    completion = new Completion(item, null, e);
                }
                done.Add(completion);
            });
            while (_done.TryTake(out var finished)) Emit(finished);
            FlushVerbose();
            UpdateProgress(force: false);
        }

        /// <summary>
        /// The address in one input, or null after writing why there is none: not an address, no address property,
        /// or an address this command already took (each address is sent once per run).
        /// </summary>
        protected string? AcceptAddress(object? input, string sentOnce)
        {
            var address = InputAddress.Resolve(input, out var invalid, out var warning);
            return Taken(address, invalid, warning, address, sentOnce) ? address : null;
        }

        /// <summary>
        /// The team or person one input names (<see cref="PersonInput"/>), or null after writing why it names no one, or
        /// that this command already took it (each is taken once per run).
        /// </summary>
        private protected PersonInput? AcceptPerson(object? input, string sentOnce)
        {
            var person = PersonInput.Read(input, out var invalid, out var warning);
            return Taken(person?.Key, invalid, warning, person?.Target, sentOnce, person?.Label) ? person : null;
        }

        /// <summary>Whether an input that was read (its <paramref name="key"/>, null when it named nothing) is taken: not after an error, and once a run.</summary>
        private bool Taken(string? key, ErrorRecord? invalid, string? warning, object? target, string sentOnce, string? label = null)
        {
            if (key == null)
            {
                CountLocal(false);
                WriteError(invalid!);
                return false;
            }
            if (!_addresses.Add(key))
            {
                CountLocal(false);
                var message = $"{label ?? key} appears more than once in the input; {sentOnce}.";
                WriteError(ErrorRecords.Make(new ArgumentException(message), "DuplicateInput", ErrorCategory.InvalidArgument, target, message,
                    "Nothing to do; remove the repeat from the input to silence this error."));
                return false;
            }
            if (warning != null) WriteWarning(warning);
            return true;
        }

        /// <summary>How many items' requests are in flight (their results not written yet).</summary>
        protected int RequestsInFlight => _inFlight.Count;

        /// <summary>Waits for one item in flight to end and writes its result (call only while <see cref="RequestsInFlight"/> is above 0).</summary>
        protected void AwaitOneResult() => TakeOne();

        /// <summary>A result that needs no request (an existing invite, a local error) counts in progress too.</summary>
        protected void CountLocal(bool succeeded)
        {
            if (succeeded) _succeeded++;
            else _failed++;
        }

        private void WaitForAll()
        {
            while (_inFlight.Count > 0) TakeOne();
            FlushVerbose();
            if (_showProgress) WriteProgress(new ProgressRecord(ProgressActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        private void TakeOne()
        {
            while (true)
            {
                try
                {
                    if (_done.TryTake(out var completion, (int)ProgressInterval.TotalMilliseconds, StopToken))
                    {
                        Emit(completion);
                        return;
                    }
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                FlushVerbose();
                UpdateProgress(force: true);
            }
        }

        private void Emit(Completion completion)
        {
            _inFlight.Remove(completion.Item);
            FlushVerbose();
            if (completion.Error != null)
            {
                _failed++;
                WriteItemError(completion.Error, completion.Item.Target, Describe(completion.Item.Target));
            }
            else
            {
                _succeeded++;
                if (completion.Output is Results many) WriteObject(many.Items, enumerateCollection: true);
                else if (completion.Output != null) WriteObject(completion.Output);
            }
            UpdateProgress(force: false);
        }

        /// <summary>Runs one step; if the run ends early inside it, accounts for the requests in flight before passing the end on.</summary>
        private void Guarded(Action step)
        {
            try
            {
                step();
            }
            catch (Exception e)
            {
                ReportUnfinished(StopToken.IsCancellationRequested ? GraceAfterStop : GraceAfterError);
                if (e is OperationCanceledException && StopToken.IsCancellationRequested) throw new PipelineStoppedException();
                throw;
            }
        }

        /// <summary>
        /// Sends nothing more, lets the requests in flight finish within <paramref name="grace"/>, and names in one
        /// warning every item whose result will not be written: done, failed, sent without an answer yet, or not sent.
        /// While the pipeline is stopping (Ctrl+C) its streams are closed, so the warning goes straight to the host.
        /// </summary>
        private void ReportUnfinished(TimeSpan grace)
        {
            if (_inFlight.Count == 0 || _ending) return;
            _ending = true;
            var outcomes = new List<Completion>();
            var deadline = DateTime.UtcNow + grace;
            while (_inFlight.Count > 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !_done.TryTake(out var completion, left)) break;
                _inFlight.Remove(completion.Item);
                outcomes.Add(completion);
            }
            _abandon.Cancel();
            var wording = StoppedRunWording;
            if (wording == null) return;

            var lines = new List<string>();
            var done = outcomes.Where(c => c.Error == null).Select(c => c.Item.Label).ToList();
            if (done.Count > 0) lines.Add($"{wording.Value.Done}, but not written to the output: {string.Join(", ", done)}.");
            foreach (var failed in outcomes.Where(c => c.Error != null && !(c.Error is NotSentException) && !(c.Error is OperationCanceledException))
                         .GroupBy(c => ErrorRecords.For(c.Error!, null, "").FullyQualifiedErrorId))
                lines.Add($"Failed with {failed.Key}: {string.Join(", ", failed.Select(c => c.Item.Label))}.");
            var unanswered = _inFlight.Concat(outcomes.Where(c => c.Error is OperationCanceledException || c.Error is NotSentException).Select(c => c.Item)).ToList();
            var unknown = unanswered.Where(i => i.Sent).Select(i => i.Label).ToList();
            if (unknown.Count > 0) lines.Add($"No answer yet, so these {wording.Value.MaybeDone}: {string.Join(", ", unknown)}.");
            var notSent = unanswered.Where(i => !i.Sent).Select(i => i.Label).ToList();
            if (notSent.Count > 0) lines.Add($"Taken but not sent: {string.Join(", ", notSent)}.");
            if (lines.Count == 0) return;

            var message = "The run stopped early. " + string.Join(" ", lines);
            try
            {
                WriteWarning(message);
            }
            catch (Exception e) when (e is PipelineStoppedException || e is ActionPreferenceStopException || e is InvalidOperationException)
            {
                Host.UI.WriteWarningLine(message);
            }
        }

        /// <summary>What progress adds after the item counts (e.g. bytes received), or null.</summary>
        protected virtual string? ProgressDetail => null;

        private void UpdateProgress(bool force)
        {
            if (!_showProgress) return;
            var now = DateTime.UtcNow;
            if (!force && now - _lastProgress < ProgressInterval) return;
            _lastProgress = now;
            var finished = _succeeded + _failed;
            var total = _total ?? 0;
            var status = string.Format(CultureInfo.CurrentCulture, "{0}, {1} in flight, {2} failed",
                total > 0 ? HowFar(finished, total, "done") : finished + " done", _inFlight.Count, _failed);
            var wait = WaitingUntil - now;
            if (wait > TimeSpan.Zero) status += string.Format(CultureInfo.CurrentCulture, ", waiting for the rate limit ({0:0} s left)", Math.Ceiling(wait.TotalSeconds));
            if (ProgressDetail is string detail) status += ", " + detail;
            WriteProgress(new ProgressRecord(ProgressActivityId, Activity, status) { PercentComplete = total > 0 ? Percent(finished, total) : -1 });
        }

        /// <summary>
        /// A run can also end outside this cmdlet's steps — input that fails to bind under -ErrorAction Stop ends the
        /// pipeline before ProcessRecord — and then disposing it is the one step left to account for what it sent.
        /// </summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                ReportUnfinished(GraceAfterError);
                _abandon.Cancel();
            }
            base.Dispose(disposing);
        }
    }
}
