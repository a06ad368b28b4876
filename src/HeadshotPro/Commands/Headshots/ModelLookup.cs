using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Finds the model behind one input of Get-HeadshotModel or Get-HeadshotPhoto: a model as it is, a member by their
    /// model id, an address (a string, an invite, an AD or Entra ID user, a CSV row) through the organization's models,
    /// read once per run by whichever worker needs them first.
    /// </summary>
    internal sealed class ModelLookup
    {
        private readonly HeadshotProClient _client;
        private Task<IReadOnlyDictionary<string, Model>>? _byAddress;

        public ModelLookup(HeadshotProClient client) => _client = client;

        /// <summary>What an input says about its model without a request: the model itself, or a member's model id.</summary>
        public static (Model? Model, Member? Member) Known(object? input)
        {
            var value = input is PSObject wrapped ? wrapped.BaseObject : input;
            return (value as Model, value as Member);
        }

        /// <summary>
        /// The model id of a webhook event (ConvertFrom-HeadshotWebhook's output, also as it comes back from a job), which
        /// carries no address: "" for an event without a model, null for any other input.
        /// </summary>
        public static string? EventModelId(object? input)
        {
            var value = input is PSObject wrapped ? wrapped.BaseObject : input;
            if (value is WebhookEvent webhookEvent) return webhookEvent.ModelId?.Trim() ?? "";
            if (input is PSObject ps && ps.TypeNames.Contains("Deserialized.HeadshotPro.WebhookEvent"))
                return (ps.Properties["ModelId"]?.Value as string)?.Trim() ?? "";
            return null;
        }

        /// <summary>The model a webhook event is about, by its id.</summary>
        public async Task<Model> FromEventAsync(object input, string modelId, RequestOptions options, CancellationToken ct)
        {
            if (modelId.Length == 0) throw NoModel(input.ToString() ?? "", $"Event {input} is about no model (it has no object._id).");
            return await _client.Models.GetAsync(modelId, ct, options).ConfigureAwait(false);
        }

        /// <summary>The model of <paramref name="address"/>, given what the input already told.</summary>
        public async Task<Model> FindAsync(string address, object? input, bool reread, RequestOptions options, CancellationToken ct)
        {
            var (model, member) = Known(input);
            if (model != null) return reread ? await _client.Models.GetAsync(model.Id, ct, options).ConfigureAwait(false) : model;
            if (member != null)
            {
                if (string.IsNullOrEmpty(member.ModelId)) throw NoModel(address, $"{address} is a member ({member.Status}) without a model yet: a model is made once they start uploading photos.");
                var found = await _client.Models.GetAsync(member.ModelId!, ct, options).ConfigureAwait(false);
                if (found.Email.Length == 0) found.Email = address;
                return found;
            }
            var index = await ByAddress(options, ct).ConfigureAwait(false);
            if (index.TryGetValue(address, out var mine)) return mine;
            throw NoModel(address, $"{address} has no model in the organization: they have not started uploading photos, or were never invited (Get-HeadshotMember and Get-HeadshotInvite show where they are).");
        }

        private Task<IReadOnlyDictionary<string, Model>> ByAddress(RequestOptions options, CancellationToken ct)
        {
            lock (this) return _byAddress ??= _client.Models.ByAddressAsync(ct, options.WithoutVeto());
        }

        private static HeadshotProApiException NoModel(string address, string message) =>
            new HeadshotProApiException(ApiErrorKind.NotFound, message, null, "NOT_FOUND").About("Model");
    }
}
