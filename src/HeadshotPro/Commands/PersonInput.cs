using System;
using System.Linq;
using System.Management.Automation;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// What one piped or given input names, read without a request: a team (a team object), or a person by the ids it
    /// carries — an invite's Id, an InviteId property, a ModelId (members, models, photos, saved photos, webhook events,
    /// a CSV column) — and by its address (read as <see cref="InputAddress"/> reads one). An object that carries an id
    /// is used by that id; the address then only names it in messages.
    /// </summary>
    internal sealed class PersonInput
    {
        private PersonInput(object input) => Input = input;

        /// <summary>The input as given: the error records' TargetObject.</summary>
        public object Input { get; }

        public Team? Team { get; private set; }
        public string? InviteId { get; private set; }
        public string? ModelId { get; private set; }
        public string? Address { get; private set; }

        /// <summary>The team the object says it is in (a TeamId property), for Get-HeadshotTeam.</summary>
        public string? TeamId { get; private set; }

        /// <summary>The model itself, when a model was piped.</summary>
        public Model? Model { get; private set; }

        /// <summary>A webhook event: it names a model and no one else (its ModelId may be empty).</summary>
        public bool IsEvent { get; private set; }

        /// <summary>What error records name as their target: the address where there is one (as given, trimmed), else the invite id, else the input.</summary>
        public object Target => (object?)Address ?? InviteId ?? Input;

        /// <summary>How messages and verbose lines name it.</summary>
        public string Label => Address ?? (ModelId != null ? "model " + ModelId : InviteId != null ? "invite " + InviteId : Team?.Name ?? Input.ToString() ?? "");

        /// <summary>What makes two inputs the same person for a command that takes each once.</summary>
        public string Key => ModelId != null ? "model:" + ModelId : InviteId != null ? "invite:" + InviteId : Team != null ? "team:" + Team.Id : "address:" + Address?.ToLowerInvariant();

        /// <summary>The person whose model has this id (given as -Id): the id is the input and the target.</summary>
        public static PersonInput OfModelId(string id) => new PersonInput(id) { ModelId = id };

        /// <summary>
        /// What <paramref name="input"/> names, or null and the error record saying why it names no one (no address
        /// property, not an address). <paramref name="warning"/> says when an AD user was taken at its UserPrincipalName.
        /// </summary>
        public static PersonInput? Read(object? input, out ErrorRecord? error, out string? warning)
        {
            error = null;
            warning = null;
            if (input == null)
            {
                InputAddress.Resolve(null, out error, out warning);
                return null;
            }
            var value = input is PSObject wrapped ? wrapped.BaseObject : input;
            var person = new PersonInput(input);
            switch (value)
            {
                case Team team:
                    person.Team = team;
                    return person;
                case WebhookEvent hook:
                    person.IsEvent = true;
                    person.ModelId = Trimmed(hook.ModelId) ?? "";
                    return person;
                case Model model:
                    person.Model = model;
                    person.ModelId = Trimmed(model.Id);
                    person.Address = Trimmed(model.Email);
                    person.TeamId = model.TeamId;
                    return person;
                case Invite invite:
                    person.InviteId = Trimmed(invite.Id);
                    person.ModelId = Trimmed(invite.ModelId);
                    person.Address = Trimmed(invite.Email);
                    person.TeamId = invite.TeamId;
                    return person.InviteId != null || person.ModelId != null || person.Address != null ? person : Unnamed(input, out error);
            }

            if (value is string)
            {
                person.Address = InputAddress.Resolve(input, out error, out warning);
                return person.Address == null ? null : person;
            }
            var names = PSObject.AsPSObject(input).TypeNames;
            if (names.Contains("Deserialized.HeadshotPro.Team"))
            {
                person.Team = new Team { Id = Text(input, "Id") ?? "", Name = Text(input, "Name") ?? "" };
                return person;
            }
            if (names.Contains("Deserialized.HeadshotPro.WebhookEvent"))
            {
                person.IsEvent = true;
                person.ModelId = Text(input, "ModelId") ?? "";
                return person;
            }
            var deserializedInvite = names.Contains("Deserialized.HeadshotPro.Invite");
            person.InviteId = Text(input, deserializedInvite ? "Id" : "InviteId");
            person.ModelId = Text(input, "ModelId") ?? (names.Contains("Deserialized.HeadshotPro.Model") ? Text(input, "Id") : null);
            person.TeamId = Text(input, "TeamId");
            if (person.InviteId == null && person.ModelId == null)
            {
                person.Address = InputAddress.Resolve(input, out error, out warning);
                return person.Address == null ? null : person;
            }
            person.Address = InputAddress.Resolve(input, out _, out _);
            return person;
        }

        private static PersonInput? Unnamed(object input, out ErrorRecord error)
        {
            const string message = "The invite carries no Id, ModelId or Email, so it names no one; nothing was done for it.";
            error = ErrorRecords.Make(new ArgumentException(message), "AddressPropertyMissing", ErrorCategory.InvalidArgument, input, message,
                "Pipe invites as Get-HeadshotInvite writes them.");
            return null;
        }

        private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();

        /// <summary>A property's text, read as PowerShell reads it; null when missing or blank.</summary>
        internal static string? Text(object input, string name)
        {
            var property = PSObject.AsPSObject(input).Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            object? value;
            try
            {
                value = property?.Value;
            }
            catch (GetValueException)
            {
                return null;
            }
            if (value is PSObject ps) value = ps.BaseObject;
            return Trimmed(value as string ?? (value is string[] || value == null ? null : value.ToString()));
        }
    }
}
