using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client.Transport;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client.Api
{
    /// <summary>The organization's headshot models (API v2 <c>organization/models</c>).</summary>
    public sealed class ModelsClient : ApiClient
    {
        public static readonly string[] Statuses = { "onboarding", "waiting", "pending", "generatingHeadshots", "active", "failed", "deleted" };

        internal ModelsClient(ApiTransport transport, ClientSettings settings) : base(transport, settings) { }

        /// <summary>One model by id; an unknown id is <see cref="ApiErrorKind.NotFound"/> about a Model.</summary>
        public async Task<Model> GetAsync(string id, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            JObject body;
            try
            {
                body = await V2Async(Get, "organization/models/" + Segment(id), null, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw e.About("Model");
            }
            return ModelOf(body["model"] as JObject ?? throw Unexpected("The model answer has no 'model' object."));
        }

        /// <summary>
        /// Deletes a model and its photos (the person's headshots). True when this call deleted it; false when the API says
        /// it was deleted already (400 ALREADY_DELETED) — unless an earlier attempt of this call may have gone through
        /// unseen, which makes the deletion this call's. An unknown id is NotFound about a Model.
        /// </summary>
        public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                await V2Async(Delete, "organization/models/" + Segment(id), null, options, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.AlreadyDeleted)
            {
                return e.AfterUncertainAttempt;
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw e.About("Model");
            }
        }

        /// <summary>One page of models, of a stage and a team if given; an unknown team is NotFound about a Team.</summary>
        public async Task<Page<Model>> ListPageAsync(string? status, string? teamId, int offset, int limit, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                return await V2PageAsync("organization/models", "models", ModelOf, offset, limit, options, cancellationToken, ("status", status), ("teamId", teamId)).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && teamId != null)
            {
                throw e.About("Team");
            }
        }

        /// <summary>A lazy reader of the models list: a page is fetched only when the reader is asked for it.</summary>
        public PageReader<Model> Reader(string? status, string? teamId, RequestOptions? options, int offset = 0, long? most = null, int pageSize = Paging.DefaultLimit) =>
            new PageReader<Model>((o, l, ct) => ListPageAsync(status, teamId, o, l, ct, options), offset, pageSize, most);

        internal static Model ModelOf(JObject m) => new Model
        {
            Id = Text(m["id"]) ?? Text(m["_id"]) ?? "",
            Uid = Text(m["uid"]),
            Email = Text(m["email"]) ?? "",
            Title = Text(m["title"]),
            Status = Text(m["status"]),
            TeamId = Text(m["teamId"]),
            TeamName = Text(m["teamName"]),
            IsDevelopment = (bool?)(m["isDevelopment"] as JValue) ?? false,
            CreatedAt = DateOf(m["createdAt"]),
            FinishedAt = DateOf(m["finishedAt"]),
        };
    }
}
