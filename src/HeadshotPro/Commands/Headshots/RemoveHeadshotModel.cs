using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Deletes people's headshots: their model and all its photos (<c>DELETE organization/models/{id}</c>, the only deletion
    /// the API offers — leavers, data-protection requests). By model id; for a piped model, member, photo, invite or webhook
    /// event, the model it carries; for an address, every model the person's invites link. A model that is already deleted
    /// is done, not an error (the person is gone either way). Asks first (ConfirmImpact High) unless -Force; a dry run or a
    /// prompt first reads whose model it is and how many photos it has, and a dry run sends nothing else.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "HeadshotModel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByEmailSet)]
    [OutputType(typeof(Model))]
    public sealed class RemoveHeadshotModel : HeadshotProPipelineCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ByEmailSet = "ByEmail";
        private const string Action = "Delete the headshot model and all its photos (cannot be undone)";
        private const string Deleted = "deleted";

        private People _people = null!;
        private HeadshotProClient _client = null!;
        private bool _passThru;
        private bool _skipMissing;

        /// <summary>Model ids, as Get-HeadshotModel shows them.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet)]
        [Alias("ModelId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = null!;

        /// <summary>Invited addresses, or objects naming a person (models, members, photos, invites, webhook events by their ModelId or invite Id; AD or Entra ID users, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByEmailSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        /// <summary>Nobody to delete (no model yet, no invite, an unknown id) is done, not an error; -Verbose says so.</summary>
        [Parameter]
        public SwitchParameter SkipMissing { get; set; }

        /// <summary>Delete without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each model as the run left it: Status deleted, Outcome Deleted or AlreadyDeleted.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override string Activity => "Deleting HeadshotPro headshots";

        protected override string Describe(object target) => "Deleting the headshots of " + target;

        protected override System.Collections.ICollection? GivenItems => ParameterSetName == ByIdSet ? (System.Collections.ICollection)Id : Email;

        protected override (string Done, string MaybeDone)? StoppedRunWording =>
            ("Deleted", "may have been deleted; Get-HeadshotModel shows whether their models read deleted");

        protected override void BeginInput()
        {
            _client = Session.Client;
            _people = new People(_client);
            _passThru = PassThru;
            _skipMissing = SkipMissing;
        }

        protected override void ProcessInput()
        {
            if (ParameterSetName == ByIdSet)
            {
                foreach (var given in Id) Remove(PersonInput.OfModelId(given.Trim()));
                return;
            }
            foreach (var input in Email)
            {
                var person = AcceptPerson(input, "its headshots are deleted once");
                if (person == null) continue;
                if (person.Team != null)
                {
                    CountLocal(false);
                    WriteError(ErrorRecords.NotAPerson(input, person.Team, "nothing was deleted",
                        $"To delete the headshots of the team's people, name them: Get-HeadshotTeam '{person.Team.Name}' | Get-HeadshotModel | Remove-HeadshotModel"));
                    continue;
                }
                Remove(person);
            }
        }

        /// <summary>
        /// One person: when the target is shown to someone (a dry run, a prompt), their models are read first so that it
        /// says whose each is, its status and its photos, and each is asked for; otherwise a worker reads and deletes them.
        /// </summary>
        private void Remove(PersonInput person)
        {
            if (!TargetShown)
            {
                if (ShouldChange(person.Label, Action, Force))
                    Submit(person.Target, (options, ct) => RemoveAllAsync(person, options, ct), label: person.Label);
                return;
            }
            IReadOnlyList<Model> models;
            try
            {
                models = Call(ct => _people.ModelsOfAsync(person, Requests, ct));
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && _skipMissing)
            {
                CountLocal(true);
                WriteVerbose(NothingToDelete(person, e));
                return;
            }
            catch (HeadshotProApiException e)
            {
                CountLocal(false);
                WriteItemError(e, person.Target, Describe(person.Label));
                return;
            }
            foreach (var model in models)
            {
                if (model.Status == Deleted)
                {
                    var already = $"{Whose(model)}: model {model.Id} is already deleted; nothing to delete.";
                    if (WhatIfInEffect)
                    {
                        ShouldProcess(already, null, null);
                        continue;
                    }
                    CountLocal(true);
                    WriteVerbose(already);
                    if (_passThru) WriteObject(model.Deleted("AlreadyDeleted"));
                    continue;
                }
                if (!ShouldProcess($"{Whose(model)}: model {model.Id}, {model.Status}{Photos(model)}", Action)) continue;
                var chosen = model;
                Submit(person.Target, async (options, ct) =>
                {
                    var done = await DeleteAsync(chosen, options, ct).ConfigureAwait(false);
                    return _passThru ? done : null;
                }, label: person.Label);
            }
        }

        private async Task<object?> RemoveAllAsync(PersonInput person, RequestOptions options, CancellationToken ct)
        {
            try
            {
                var done = new List<Model>();
                foreach (var model in await _people.ModelsOfAsync(person, options, ct).ConfigureAwait(false))
                    done.Add(await DeleteAsync(model, options, ct).ConfigureAwait(false));
                return _passThru ? new Results(done) : null;
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && _skipMissing)
            {
                QueueVerbose(NothingToDelete(person, e));
                return null;
            }
        }

        /// <summary>Deletes one model unless it reads deleted already; either way, the model as the run leaves it.</summary>
        private async Task<Model> DeleteAsync(Model model, RequestOptions options, CancellationToken ct)
        {
            var deletedNow = model.Status != Deleted && await _client.Models.DeleteAsync(model.Id, ct, options).ConfigureAwait(false);
            if (!deletedNow) QueueVerbose($"{Whose(model)}: model {model.Id} was already deleted; nothing to delete.");
            return model.Deleted(deletedNow ? "Deleted" : "AlreadyDeleted");
        }

        private static string NothingToDelete(PersonInput person, HeadshotProApiException e) => $"Nothing to delete for {person.Label}: {e.Message}";

        private static string Whose(Model model) =>
            model.Email.Length == 0 ? "an unknown person" : model.SignUpEmail == null ? model.Email : $"{model.Email} (signed up as {model.SignUpEmail})";

        /// <summary>", 8 photos" from one page of one photo (its total), or nothing when that cannot be read.</summary>
        private string Photos(Model model)
        {
            try
            {
                var total = Call(ct => _client.Photos.ListPageAsync(model.Id, null, false, 0, 1, ct, Requests)).Total;
                return total is int n ? string.Format(CultureInfo.CurrentCulture, ", {0} photo{1}", n, n == 1 ? "" : "s") : "";
            }
            catch (HeadshotProApiException)
            {
                return "";
            }
        }

        /// <summary>
        /// Whether ShouldProcess will show the target to someone: a dry run, or a prompt (no -Force, no -Confirm:$false, and
        /// $ConfirmPreference at High or below). Only then is each person's model read before it is asked for.
        /// </summary>
        private bool TargetShown
        {
            get
            {
                if (WhatIfInEffect) return true;
                if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)) return LanguagePrimitives.IsTrue(confirm);
                if (Force) return false;
                var preference = LanguagePrimitives.ConvertTo<ConfirmImpact>(GetVariableValue("ConfirmPreference") ?? ConfirmImpact.High);
                return preference != ConfirmImpact.None && preference <= ConfirmImpact.High;
            }
        }
    }
}
