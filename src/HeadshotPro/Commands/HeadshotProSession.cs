using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>One connection: its client (one long-lived HttpClient) and what the cmdlets remember between calls.</summary>
    internal sealed class HeadshotProSession : IDisposable
    {
        public HeadshotProSession(HeadshotProClient client, string source)
        {
            Client = client;
            Connection = new Connection
            {
                BaseUri = client.Settings.BaseUri,
                ApiKeyHint = client.Settings.ApiKeyHint,
                Source = source,
                ConnectedAt = DateTimeOffset.Now,
                TimeoutSec = (int)client.Settings.Timeout.TotalSeconds,
                MaxRetryWaitSec = (int)client.Settings.MaxRetryWait.TotalSeconds,
                Proxy = client.Settings.Proxy,
            };
        }

        public HeadshotProClient Client { get; }
        public Connection Connection { get; }

        /// <summary>The organization's teams, once read (for -Team, tab completion and ShouldProcess text).</summary>
        public IReadOnlyList<Team>? Teams { get; set; }

        /// <summary>Remembers what a read of the organization said: its teams, and its name for the connection.</summary>
        public void Remember(Organization organization)
        {
            Teams = organization.Teams;
            Connection.Organization = organization.Name;
            Connection.OrganizationId = organization.Uid;
        }

        /// <summary>The connection with the rate-limit window as last seen (shared by every session with this key).</summary>
        public Connection Current()
        {
            var window = Client.RateLimitWindow;
            Connection.RateLimitRemaining = window?.Remaining;
            Connection.RateLimitResetsAt = window == null ? (DateTimeOffset?)null : new DateTimeOffset(window.Value.ResetUtc).ToLocalTime();
            return Connection;
        }

        /// <summary>For a session made from environment variables: what it was made from, to notice when they change.</summary>
        public string? EnvironmentFingerprint { get; set; }

        public void Dispose() => Client.Dispose();
    }

    /// <summary>
    /// The current session of each runspace: a connection belongs to the runspace that made it, as in PowerShell
    /// remoting, and is let go when the runspace closes (its HTTP client is shared by the process's other sessions
    /// with the same base URI, key and proxy, and disposed with the last of them).
    /// </summary>
    internal static class SessionStore
    {
        private static readonly ConditionalWeakTable<Runspace, HeadshotProSession> Sessions = new ConditionalWeakTable<Runspace, HeadshotProSession>();
        private static readonly ConditionalWeakTable<Runspace, object> Watched = new ConditionalWeakTable<Runspace, object>();
        private static readonly object Gate = new object();

        public static HeadshotProSession? Get(Runspace runspace)
        {
            lock (Gate) return Sessions.TryGetValue(runspace, out var session) ? session : null;
        }

        public static void Set(Runspace runspace, HeadshotProSession? session)
        {
            HeadshotProSession? old;
            lock (Gate)
            {
                Sessions.TryGetValue(runspace, out old);
                Sessions.Remove(runspace);
                if (session != null) Sessions.Add(runspace, session);
                if (session != null && !Watched.TryGetValue(runspace, out _))
                {
                    Watched.Add(runspace, Gate);
                    runspace.StateChanged += ForgetWhenClosed;
                }
            }
            if (old != null && !ReferenceEquals(old, session)) old.Dispose();
        }

        private static void ForgetWhenClosed(object? sender, RunspaceStateEventArgs e)
        {
            if (sender is Runspace runspace && (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken))
            {
                runspace.StateChanged -= ForgetWhenClosed;
                Set(runspace, null);
            }
        }
    }
}
