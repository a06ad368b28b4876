using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using System.Collections.Generic;
using HeadshotPro.Client;
using HeadshotPro.Client.Transport;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// What every HeadshotPro cmdlet shares: the session, cancellation on Ctrl+C, verbose lines from the client
    /// (queued by worker threads, written by the pipeline thread), and API errors turned into error records.
    /// </summary>
    public abstract class HeadshotProCmdlet : PSCmdlet, IRequestObserver, IDisposable
    {
        internal const string EnvApiKey = "HEADSHOTPRO_API_KEY";
        internal const string EnvBaseUri = "HEADSHOTPRO_BASE_URI";
        private static readonly TimeSpan VerboseInterval = TimeSpan.FromMilliseconds(250);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _verbose = new ConcurrentQueue<string>();
        private HeadshotProSession? _session;
        private RequestOptions? _requests;
        private long _waitingUntilTicks;
        private long _rateLimitAnnouncedTicks;

        protected CancellationToken StopToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (!disposing) return;
            _stopping.Cancel();
            _stopping.Dispose();
        }

        /// <summary>
        /// Asks ShouldProcess before changing anything on the server. -Force skips only the confirmation prompt: -WhatIf,
        /// $WhatIfPreference (which a wrapper's -WhatIf sets) and an explicit -Confirm still apply.
        /// </summary>
        internal bool ShouldChange(string target, string action, bool force)
        {
            var confirmAsked = MyInvocation.BoundParameters.TryGetValue("Confirm", out var c) && LanguagePrimitives.IsTrue(c);
            if (force && !WhatIfInEffect && !confirmAsked)
            {
                WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\".");
                return true;
            }
            return ShouldProcess(target, action);
        }

        /// <summary>
        /// Whether input was piped to this command. A command that lists then acts only on what was piped — each input
        /// bound, or one error for it — and never lists everything: not when nothing came, not when an input did not bind.
        /// </summary>
        internal bool Piped => MyInvocation.ExpectingInput;

        /// <summary>Whether this is a dry run: -WhatIf, or $WhatIfPreference (which a wrapper function's -WhatIf sets).</summary>
        internal bool WhatIfInEffect =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? LanguagePrimitives.IsTrue(w) : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>
        /// Progress is written in any interactive host (the console, VS Code, ISE, Windows Terminal), where
        /// $ProgressPreference then decides; not in a host without a user (Azure Automation's "Default Host", a
        /// service) or a pwsh started with -NonInteractive.
        /// </summary>
        internal static bool ShowsProgress(string hostName, bool userInteractive, string[] commandLine) =>
            hostName != "Default Host" && userInteractive &&
            !commandLine.Any(a => a.StartsWith("-noni", StringComparison.OrdinalIgnoreCase) || a.StartsWith("/noni", StringComparison.OrdinalIgnoreCase));

        /// <summary>Whether this command writes progress (<see cref="ShowsProgress(string, bool, string[])"/>).</summary>
        internal bool ShowingProgress => ShowsProgress(Host.Name, Environment.UserInteractive, Environment.GetCommandLineArgs());

        internal const int ProgressActivityId = 0x4853;

        /// <summary>The share done in whole percent, 0 to 100, for PercentComplete.</summary>
        internal static int Percent(long done, long total) => (int)Math.Min(100, done * 100 / total);

        /// <summary>"55 of 60 done (91 %)": how far, with the percentage in this culture's form.</summary>
        internal static string HowFar(long done, long total, string what) =>
            string.Format(CultureInfo.CurrentCulture, "{0} of {1} {2} ({3:P0})", done, total, what, Percent(done, total) / 100.0);

        /// <summary>This command's request options: verbose lines and waits come back to it.</summary>
        internal RequestOptions Requests => _requests ?? (_requests = new RequestOptions { Observer = this, MaxRetryWait = MaxRetryWait });

        /// <summary>This command's cap on rate-limit waits, when it overrides the connection's.</summary>
        private protected virtual TimeSpan? MaxRetryWait => null;

        /// <summary>The session from Connect-HeadshotPro, else one from the environment variables, else a terminating NotConnected.</summary>
        internal HeadshotProSession Session => _session ?? (_session = ResolveSession());

        private HeadshotProSession ResolveSession()
        {
            var runspace = Runspace.DefaultRunspace;
            var current = SessionStore.Get(runspace);
            if (current != null && current.EnvironmentFingerprint == null) return current;

            var key = Environment.GetEnvironmentVariable(EnvApiKey);
            if (string.IsNullOrWhiteSpace(key)) ThrowTerminatingError(NotConnected());
            key = key!.Trim();
            var uriText = Environment.GetEnvironmentVariable(EnvBaseUri)?.Trim();
            var fingerprint = Fingerprint(uriText + "\n" + key);
            if (current != null && current.EnvironmentFingerprint == fingerprint) return current;

            var baseUri = ClientSettings.DefaultBaseUri;
            if (!string.IsNullOrEmpty(uriText))
            {
                string? problem = "it is not a URI.";
                var checkedUri = Uri.TryCreate(uriText, UriKind.RelativeOrAbsolute, out var parsed) ? BaseUriRules.Check(parsed, out problem) : null;
                if (checkedUri == null)
                {
                    var message = $"$env:{EnvBaseUri} is not a usable base URI: {problem}";
                    ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(message), "InvalidBaseUri", ErrorCategory.InvalidArgument, parsed == null ? null : BaseUriRules.Shown(parsed), message,
                        $"Set it to the API's base, like {ClientSettings.DefaultBaseUri}, or remove it."));
                }
                baseUri = checkedUri!;
            }
            var session = new HeadshotProSession(new HeadshotProClient(new ClientSettings(baseUri, key)), "Environment")
            {
                EnvironmentFingerprint = fingerprint,
            };
            SessionStore.Set(runspace, session);
            return session;
        }

        /// <summary>Whether there is a session to use (from Connect-HeadshotPro or the environment variables), without making one.</summary>
        internal static bool IsConnected(Runspace runspace) =>
            SessionStore.Get(runspace) != null || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvApiKey));

        internal static ErrorRecord NotConnected()
        {
            const string message = "Not connected to HeadshotPro. Run Connect-HeadshotPro, or set $env:HEADSHOTPRO_API_KEY (and optionally $env:HEADSHOTPRO_BASE_URI).";
            return ErrorRecords.Make(new InvalidOperationException(message), "NotConnected", ErrorCategory.ConnectionError, null, message,
                "Run Connect-HeadshotPro -ApiKey (Read-Host -AsSecureString 'API key'), or set $env:HEADSHOTPRO_API_KEY.");
        }

        /// <summary>Tells whether the environment variables changed, without keeping the key a second time.</summary>
        private static string Fingerprint(string text)
        {
            using (var sha = System.Security.Cryptography.SHA256.Create())
                return Convert.ToBase64String(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text)));
        }

        /// <summary>
        /// Runs one client call, writing its verbose lines as they come (a long wait is seen while it lasts); Ctrl+C stops
        /// it. Resolve <see cref="Session"/> before: the call runs on a worker thread.
        /// </summary>
        internal T Call<T>(Func<CancellationToken, Task<T>> call)
        {
            try
            {
                var task = Task.Run(() => call(StopToken));
                while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(VerboseInterval)) FlushVerbose();
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                FlushVerbose();
            }
        }

        void IRequestObserver.AttemptEnded(string method, string path, string? label, int? status, int attempt, TimeSpan elapsed, string? failure)
        {
            var outcome = status.HasValue ? status.Value.ToString(CultureInfo.InvariantCulture) : "no answer (" + failure + ")";
            var forWhom = label == null ? "" : " for " + label;
            _verbose.Enqueue(string.Format(CultureInfo.InvariantCulture, "{0} {1}{2} -> {3} (attempt {4}, {5:0} ms)",
                method, path, forWhom, outcome, attempt, elapsed.TotalMilliseconds));
        }

        /// <summary>
        /// One line per wait: requests that queue behind a rate-limit wait already announced (the same window) add none;
        /// each retry's backoff is its own line.
        /// </summary>
        void IRequestObserver.Waiting(string reason, TimeSpan delay)
        {
            var until = DateTime.UtcNow + delay;
            RaiseTo(ref _waitingUntilTicks, until.Ticks);
            if (reason.StartsWith("rate limit", StringComparison.Ordinal))
            {
                var announced = Interlocked.Read(ref _rateLimitAnnouncedTicks);
                if (until.Ticks <= announced + WaitAnnouncedTolerance.Ticks) return;
                RaiseTo(ref _rateLimitAnnouncedTicks, until.Ticks);
            }
            _verbose.Enqueue(string.Format(CultureInfo.InvariantCulture, "Waiting {0:0.0} s: {1}.", delay.TotalSeconds, reason));
        }

        private static void RaiseTo(ref long ticks, long value)
        {
            long seen;
            while ((seen = Interlocked.Read(ref ticks)) < value && Interlocked.CompareExchange(ref ticks, value, seen) != seen)
            {
            }
        }

        private static readonly TimeSpan WaitAnnouncedTolerance = TimeSpan.FromMilliseconds(500);

        /// <summary>When the longest wait announced so far ends (UTC), for progress.</summary>
        internal DateTime WaitingUntil => new DateTime(Interlocked.Read(ref _waitingUntilTicks), DateTimeKind.Utc);

        /// <summary>A verbose line from a worker thread; the pipeline thread writes it.</summary>
        internal void QueueVerbose(string line) => _verbose.Enqueue(line);

        internal void FlushVerbose()
        {
            while (_verbose.TryDequeue(out var line)) WriteVerbose(line);
        }

        /// <summary>Reads the organization (and remembers its teams for the session); null after writing an error.</summary>
        internal Organization? ReadOrganization()
        {
            var organization = TryReadOrganization(out var failure);
            if (failure != null) WriteItemError(failure, Session.Connection.BaseUri, "Reading the organization");
            return organization;
        }

        /// <summary>
        /// Reads the organization (and remembers its teams for the session); null and why when it cannot be read, for the
        /// caller to write where it belongs. A rejected key stops the command.
        /// </summary>
        internal Organization? TryReadOrganization(out HeadshotProApiException? failure)
        {
            var session = Session;
            failure = null;
            try
            {
                var organization = Call(ct => session.Client.GetOrganizationAsync(ct, Requests));
                session.Remember(organization);
                return organization;
            }
            catch (HeadshotProApiException e)
            {
                if (e.Kind == ApiErrorKind.Unauthorized) WriteItemError(e, session.Connection.BaseUri, "Reading the organization");
                failure = e;
                return null;
            }
        }

        /// <summary>A team by id, else by name (case-insensitive).</summary>
        internal static Team? FindTeam(IEnumerable<Team> teams, string value)
        {
            var list = teams.ToList();
            return list.FirstOrDefault(t => t.Id == value) ?? list.FirstOrDefault(t => string.Equals(t.Name, value, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// The ids of the teams named by id or name (-Team), from a fresh read of the organization; null after writing
        /// TeamNotFound for each one it lacks (or the read's error).
        /// </summary>
        internal HashSet<string>? ResolveTeams(IEnumerable<string> values)
        {
            var organization = ReadOrganization();
            if (organization == null) return null;
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var complete = true;
            foreach (var value in values)
            {
                var team = FindTeam(organization.Teams, value.Trim());
                if (team != null) ids.Add(team.Id);
                else
                {
                    WriteError(TeamNotFound(value, organization));
                    complete = false;
                }
            }
            return complete ? ids : null;
        }

        /// <summary>The one value of a parameter that takes several, when exactly one was given: a list's API filters by one.</summary>
        internal static string? OnlyOne(IReadOnlyCollection<string>? values) => values != null && values.Count == 1 ? values.First() : null;

        /// <summary>
        /// What a list keeps that its API could not filter: the teams and statuses asked for, each unless the API was sent
        /// the one given (<paramref name="teamSent"/>, <paramref name="statusSent"/>). Null when the API did it all, so that
        /// -Skip and -First go to the server.
        /// </summary>
        internal static Func<T, bool>? FilterHere<T>(IEnumerable<string>? teamIds, string? teamSent, IEnumerable<string>? statuses, string? statusSent,
            Func<T, string?> teamOf, Func<T, string?> statusOf)
        {
            var teams = teamIds == null || teamSent != null ? null : new HashSet<string>(teamIds, StringComparer.Ordinal);
            var wanted = statuses == null || statusSent != null ? null : new HashSet<string>(statuses, StringComparer.OrdinalIgnoreCase);
            if (teams == null && wanted == null) return null;
            return item => (teams == null || teams.Contains(teamOf(item) ?? "")) && (wanted == null || wanted.Contains(statusOf(item) ?? ""));
        }

        /// <summary>
        /// Writes a paged list lazily: a page is fetched only after the one before was written, so a downstream
        /// <c>Select-Object -First</c> that has enough stops the reading. -Skip and -First (SupportsPaging) go to the
        /// server as offset and limit; with a <paramref name="keep"/> filter the server cannot apply, they count what is kept.
        /// </summary>
        internal void WritePaged<T>(Func<int, long?, PageReader<T>> reader, Func<T, bool>? keep, object? target, string action)
        {
            var paging = PagingParameters;
            var skip = paging == null ? 0 : (long)Math.Min(paging.Skip, int.MaxValue);
            long? first = paging == null || paging.First == ulong.MaxValue ? (long?)null : (long)Math.Min(paging.First, long.MaxValue);
            var pages = keep == null ? reader((int)skip, first) : reader(0, null);
            long kept = 0, written = 0, read = 0;
            var complete = false;
            var showProgress = ShowingProgress;
            try
            {
                while (true)
                {
                    if (first is long most && written >= most) break;
                    var page = Call(ct => pages.NextAsync(ct));
                    if (page == null)
                    {
                        complete = true;
                        break;
                    }
                    read += page.Count;
                    // How far through the list, when the server gave its total: what is wanted of it, or all of it where a filter here decides.
                    var wanted = pages.Total is int all ? (keep == null ? Math.Min(Math.Max(all - skip, 0), first ?? long.MaxValue) : all) : 0;
                    if (showProgress && wanted > 0)
                        WriteProgress(new ProgressRecord(ProgressActivityId, action, HowFar(read, wanted, "read")) { PercentComplete = Percent(read, wanted) });
                    foreach (var item in page)
                    {
                        if (keep != null && !keep(item)) continue;
                        if (keep != null && kept++ < skip) continue;
                        if (first is long cap && written >= cap) break;
                        written++;
                        WriteObject(item);
                    }
                }
            }
            catch (HeadshotProApiException e)
            {
                WriteItemError(e, target, action);
                return;
            }
            if (showProgress) WriteProgress(new ProgressRecord(ProgressActivityId, action, "Done") { RecordType = ProgressRecordType.Completed });
            if (paging != null && paging.IncludeTotalCount)
            {
                if (keep == null && pages.PagesRead == 0)
                {
                    // -First 0: one item's page, only to learn the total.
                    var probe = reader((int)skip, 1);
                    try
                    {
                        Call(ct => probe.NextAsync(ct));
                    }
                    catch (HeadshotProApiException e)
                    {
                        WriteItemError(e, target, action);
                        return;
                    }
                    pages = probe;
                }
                if (keep == null && pages.Total is int total) WriteObject(paging.NewTotalCount((ulong)total, 1.0));
                else if (keep != null && complete) WriteObject(paging.NewTotalCount((ulong)kept, 1.0));
                else WriteObject(paging.NewTotalCount((ulong)(pages.Total ?? 0), 0.0));
            }
        }

        internal static ErrorRecord TeamNotFound(string team, Organization organization)
        {
            var known = string.Join(", ", organization.Teams.Select(t => $"{t.Name} ({t.Id})"));
            var message = $"The organization has no team '{team}'. Its teams: {(known.Length > 0 ? known : "none")}.";
            return ErrorRecords.Make(new ItemNotFoundException(message), "TeamNotFound", ErrorCategory.ObjectNotFound, team, message,
                "Use one of the organization's teams; Get-HeadshotTeam lists them.");
        }

        /// <summary>Writes one error record for a failed item; a rejected key stops the whole command.</summary>
        internal void WriteItemError(Exception error, object? target, string action)
        {
            var record = ErrorRecords.For(error, target, action);
            if (error is HeadshotProApiException api && api.Kind == ApiErrorKind.Unauthorized)
            {
                _stopping.Cancel();
                ThrowTerminatingError(record);
            }
            WriteError(record);
        }
    }
}
