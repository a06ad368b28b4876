using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Threading;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Completes team names and ids from the organization, read once per session and never without a connection
    /// (Connect-HeadshotPro, or a session already made from the environment variables).
    /// </summary>
    public abstract class TeamCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var session = SessionStore.Get(Runspace.DefaultRunspace);
            if (session == null) return Enumerable.Empty<CompletionResult>();
            if (session.Teams == null)
            {
                try
                {
                    using (var timeout = new CancellationTokenSource(ReadTimeout))
                        session.Remember(session.Client.GetOrganizationAsync(timeout.Token).GetAwaiter().GetResult());
                }
                catch (Exception e) when (e is Client.HeadshotProApiException || e is OperationCanceledException)
                {
                    return Enumerable.Empty<CompletionResult>();
                }
            }
            var prefix = wordToComplete.Trim('\'', '"');
            return session.Teams
                .Where(t => Value(t).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(t => new CompletionResult(Quote(Value(t)), Value(t), CompletionResultType.ParameterValue, $"{t.Name} ({t.Id})"));
        }

        protected abstract string Value(Team team);

        private static string Quote(string value) =>
            value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', ';', ',' }) < 0 ? value : "'" + value.Replace("'", "''") + "'";
    }

    public sealed class TeamNameCompleter : TeamCompleter
    {
        protected override string Value(Team team) => team.Name;
    }

    public sealed class TeamIdCompleter : TeamCompleter
    {
        protected override string Value(Team team) => team.Id;
    }
}
