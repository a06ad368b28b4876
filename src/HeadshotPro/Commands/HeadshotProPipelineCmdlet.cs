using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// A cmdlet that streams items through a bounded window of requests in flight (-ThrottleLimit): input is taken only
    /// when there is room, results are written as they complete, and only the pipeline thread writes anything.
    /// </summary>
    public abstract class HeadshotProPipelineCmdlet : HeadshotProCmdlet
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly BlockingCollection<Completion> _done = new BlockingCollection<Completion>();
        private readonly HashSet<string> _addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private int _inFlight;
        private int _succeeded;
        private int _failed;
        private bool _showProgress;
        private DateTime _lastProgress;

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

        private int? _total;

        protected abstract string Activity { get; }

        /// <summary>What the item's error message starts with, e.g. "Inviting ann@corp.example".</summary>
        protected abstract string Describe(object target);

        private sealed class Completion
        {
            public Completion(object target, object? output, Exception? error)
            {
                Target = target;
                Output = output;
                Error = error;
            }

            public object Target { get; }
            public object? Output { get; }
            public Exception? Error { get; }
        }

        protected override void BeginProcessing()
        {
            if (!MyInvocation.ExpectingInput && GivenItems != null) _total = GivenItems.Count;
            _showProgress = Host.Name == "ConsoleHost" && Environment.UserInteractive &&
                !Environment.GetCommandLineArgs().Any(a => a.StartsWith("-noni", StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>Queues one item's request once there is room in the window; its result, or its error, is written later.</summary>
        protected void Submit(object target, Func<CancellationToken, Task<object?>> work)
        {
            while (_inFlight >= ThrottleLimit) TakeOne();
            _inFlight++;
            var done = _done;
            var token = StopToken;
            Task.Run(async () =>
            {
                Completion completion;
                try
                {
                    completion = new Completion(target, await work(token).ConfigureAwait(false), null);
                }
                catch (Exception e)
                {
                    completion = new Completion(target, null, e);
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
            var address = InputAddress.Resolve(input, out var invalid);
            if (address == null)
            {
                CountLocal(false);
                WriteError(invalid!);
                return null;
            }
            if (!_addresses.Add(address))
            {
                CountLocal(false);
                var message = $"{address} appears more than once in the input; {sentOnce}.";
                WriteError(ErrorRecords.Make(new ArgumentException(message), "DuplicateInput", ErrorCategory.InvalidArgument, address, message,
                    "Nothing to do; remove the repeat from the input to silence this error."));
                return null;
            }
            return address;
        }

        /// <summary>A result that needs no request (an existing invite, a local error) counts in progress too.</summary>
        protected void CountLocal(bool succeeded)
        {
            if (succeeded) _succeeded++;
            else _failed++;
        }

        protected void WaitForAll()
        {
            while (_inFlight > 0) TakeOne();
            FlushVerbose();
            if (_showProgress) WriteProgress(new ProgressRecord(ActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        private const int ActivityId = 0x4853;

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
            _inFlight--;
            if (completion.Error is OperationCanceledException && StopToken.IsCancellationRequested) throw new PipelineStoppedException();
            FlushVerbose();
            if (completion.Error != null)
            {
                _failed++;
                WriteItemError(completion.Error, completion.Target, Describe(completion.Target));
            }
            else
            {
                _succeeded++;
                if (completion.Output != null) WriteObject(completion.Output);
            }
            UpdateProgress(force: false);
        }

        private void UpdateProgress(bool force)
        {
            if (!_showProgress) return;
            var now = DateTime.UtcNow;
            if (!force && now - _lastProgress < ProgressInterval) return;
            _lastProgress = now;
            var finished = _succeeded + _failed;
            var status = string.Format(CultureInfo.CurrentCulture, "{0} done, {1} in flight, {2} failed", finished, _inFlight, _failed);
            var wait = WaitingUntil - now;
            if (wait > TimeSpan.Zero) status += string.Format(CultureInfo.CurrentCulture, ", waiting for the rate limit ({0:0} s left)", Math.Ceiling(wait.TotalSeconds));
            var record = new ProgressRecord(ActivityId, Activity, status);
            if (_total is int total && total > 0) record.PercentComplete = Math.Min(100, finished * 100 / total);
            WriteProgress(record);
        }
    }
}
