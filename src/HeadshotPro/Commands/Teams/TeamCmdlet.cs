using System;
using System.Linq;
using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// What the team cmdlets share: the organization read once at the start, kept current from each change's answer
    /// (which is the whole organization), and the session's team cache (Get-HeadshotTeam, -Team completion) updated with it.
    /// </summary>
    public abstract class TeamCmdlet : HeadshotProCmdlet
    {
        private protected Organization? Current { get; private set; }

        /// <summary>Why the organization could not be read at the start, when it could not: then every input gets that error.</summary>
        private HeadshotProApiException? _unreadable;

        protected override void BeginProcessing() => Current = TryReadOrganization(out _unreadable);

        /// <summary>Whether the organization was read; if not, writes this input's error (the read's) and answers false.</summary>
        private protected bool Readable(object target, string action)
        {
            if (Current != null) return true;
            WriteItemError(_unreadable!, target is PSObject wrapped ? wrapped.BaseObject : target, action);
            return false;
        }

        /// <summary>How an input names a team in messages: a team's name, else the text given.</summary>
        private protected static string Given(object? input)
        {
            var value = input is PSObject wrapped ? wrapped.BaseObject : input;
            return value is Team team ? team.Name : (value?.ToString() ?? "").Trim();
        }

        /// <summary>The team an input names (a Team object, an id or a name), or null after writing TeamNotFound.</summary>
        private protected Team? TeamOf(object? input)
        {
            var value = input is PSObject wrapped ? wrapped.BaseObject : input;
            var given = value is Team team ? team.Id : (value?.ToString() ?? "").Trim();
            var found = FindTeam(Current!.Teams, given);
            if (found == null && value is Team named) found = FindTeam(Current.Teams, named.Name);
            if (found == null) WriteError(TeamNotFound(Given(input), Current));
            return found;
        }

        /// <summary>The team that has <paramref name="name"/> already (names compared without case), other than <paramref name="except"/>.</summary>
        private protected Team? Holder(string name, string? except = null) =>
            Current!.Teams.FirstOrDefault(t => t.Id != except && string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

        private protected static ErrorRecord NameTaken(string name, Team holder)
        {
            var message = $"The organization already has a team named '{holder.Name}' ({holder.Id}); team names are unique.";
            return ErrorRecords.For(new HeadshotProApiException(ApiErrorKind.AlreadyExists, message, 400, "INVALID_REQUEST").About("Team"), name, "Naming the team");
        }

        /// <summary>Runs one team change; the organization it answers becomes current and the session's team cache. Null after writing the error.</summary>
        private protected Organization? Change(Func<Organization, System.Threading.CancellationToken, System.Threading.Tasks.Task<Organization>> change, object target, string action, string? name = null)
        {
            var session = Session;
            var before = Current!;
            try
            {
                var after = Call(ct => change(before, ct));
                Current = after;
                session.Remember(after);
                return after;
            }
            catch (HeadshotProApiException e)
            {
                session.Teams = null; // read again when next needed
                if (name != null && e.Kind == ApiErrorKind.InvalidRequest)
                {
                    // A taken name is 400 INVALID_REQUEST, like any other bad request: tell them apart by reading the teams.
                    var now = TryReadOrganization(out _); // unread, the input gets the server's error below: one error
                    if (now != null)
                    {
                        Current = now;
                        var holder = Holder(name, target is Team t ? t.Id : null);
                        if (holder != null)
                        {
                            WriteError(NameTaken(name, holder));
                            return null;
                        }
                    }
                }
                WriteItemError(e, target, action);
                return null;
            }
        }
    }
}
