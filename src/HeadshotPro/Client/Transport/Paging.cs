using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client.Transport
{
    /// <summary>One page of a paginated v2 list, and where the list goes on from.</summary>
    public sealed class Page<T>
    {
        public Page(IReadOnlyList<T> items, int offset, int? total, bool hasMore)
            : this(items, offset, total, hasMore, null)
        {
        }

        private Page(IReadOnlyList<T> items, int offset, int? total, bool hasMore, IReadOnlyList<string>? keys)
        {
            Items = items;
            Offset = offset;
            Total = total;
            HasMore = hasMore;
            Keys = keys;
        }

        public IReadOnlyList<T> Items { get; }

        /// <summary>Where this page starts in the whole list.</summary>
        public int Offset { get; }

        /// <summary>How many the whole list holds, when the server said.</summary>
        public int? Total { get; }

        /// <summary>Whether the server has more after this page.</summary>
        public bool HasMore { get; }

        /// <summary>What tells the items apart (the API's ids), one per item, when known: a page that repeats earlier ones is seen by them.</summary>
        internal IReadOnlyList<string>? Keys { get; }

        internal static Page<T> Read(IReadOnlyList<T> items, int offset, int? total, bool hasMore, IReadOnlyList<string> keys) =>
            new Page<T>(items, offset, total, hasMore, keys);

        /// <summary>The same page with each item made into another.</summary>
        public Page<TResult> Select<TResult>(Func<T, TResult> map) =>
            new Page<TResult>(Items.Select(map).ToList(), Offset, Total, HasMore, Keys);
    }

    /// <summary>
    /// The v2 paging rules: <c>limit</c> 1–200 (default 50) and <c>offset</c> ≥ 0 in the query, and
    /// <c>pagination: {total, limit, offset, hasMore}</c> beside the list in the answer.
    /// </summary>
    public static class Paging
    {
        public const int DefaultLimit = 50;
        public const int MaxLimit = 200;

        /// <summary>A query string of <paramref name="pairs"/>, leaving out null values, each escaped.</summary>
        public static string Query(params (string Name, string? Value)[] pairs)
        {
            var given = pairs.Where(p => p.Value != null).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)).ToList();
            return given.Count == 0 ? "" : "?" + string.Join("&", given);
        }

        public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// Reads one page: the items of <paramref name="listName"/> (told apart by their <c>id</c>), and whether there is
        /// more. An answer without <c>pagination</c> is taken as the whole list, and an empty page ends it whatever
        /// <c>hasMore</c> says.
        /// </summary>
        internal static Page<T> Read<T>(JObject body, string listName, Func<JObject, T> map, int requestedOffset)
        {
            var list = body[listName] as JArray
                ?? throw new HeadshotProApiException(ApiErrorKind.UnexpectedResponse, $"The answer has no '{listName}' array.", 200);
            var objects = list.OfType<JObject>().ToList();
            var pagination = body["pagination"] as JObject;
            var offset = (int?)IntOf(pagination?["offset"]) ?? requestedOffset;
            var total = IntOf(pagination?["total"]);
            var hasMore = pagination != null && ((bool?)(pagination["hasMore"] as JValue) ?? (total is int t && offset + objects.Count < t));
            return Page<T>.Read(objects.Select(map).ToList(), offset, total, hasMore && objects.Count > 0,
                objects.Select(KeyOf).ToList());
        }

        /// <summary>An item's <c>id</c>, or the whole item for one without.</summary>
        private static string KeyOf(JObject item) =>
            item["id"] is JValue id && id.Type != JTokenType.Null ? id.ToString(CultureInfo.InvariantCulture) : item.ToString(Newtonsoft.Json.Formatting.None);

        private static int? IntOf(JToken? token) =>
            token != null && (token.Type == JTokenType.Integer || token.Type == JTokenType.Float) ? (int)token : (int?)null;
    }

    /// <summary>
    /// A lazy reader of a paginated list: each <see cref="NextAsync"/> fetches one page, and only when asked, from where
    /// the last one ended, until the server has no more, the list's total is reached or <c>most</c> items were read. An
    /// item already read is not given again. A server whose pages do not add up — it answers another offset than the one
    /// asked, or a page that brings only what earlier ones brought while it says there is more — ends the list with
    /// <see cref="ApiErrorKind.PagingMisbehaved"/>, so a reader never goes on for ever. Not for concurrent use.
    /// </summary>
    public sealed class PageReader<T>
    {
        private readonly Func<int, int, CancellationToken, Task<Page<T>>> _fetch;
        private readonly int _pageSize;
        private readonly long? _most;
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private int _offset;
        private long _read;
        private bool _done;

        /// <param name="fetch">Fetches the page at (offset, limit).</param>
        /// <param name="offset">Where to start (the server skips what comes before).</param>
        /// <param name="pageSize">The limit asked for each page (1–200).</param>
        /// <param name="most">The most items wanted in all; the last page asks only for what is still wanted.</param>
        public PageReader(Func<int, int, CancellationToken, Task<Page<T>>> fetch, int offset = 0, int pageSize = Paging.DefaultLimit, long? most = null)
        {
            if (pageSize < 1 || pageSize > Paging.MaxLimit) throw new ArgumentOutOfRangeException(nameof(pageSize));
            if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset));
            _fetch = fetch;
            _offset = offset;
            _pageSize = pageSize;
            _most = most;
            _done = most <= 0;
        }

        /// <summary>How many pages were fetched so far.</summary>
        public int PagesRead { get; private set; }

        /// <summary>The whole list's size as the server last gave it, once a page was read.</summary>
        public int? Total { get; private set; }

        /// <summary>The next page's items, or null when the list is done (nothing is fetched then).</summary>
        public async Task<IReadOnlyList<T>?> NextAsync(CancellationToken cancellationToken)
        {
            if (_done) return null;
            var asked = _offset;
            var limit = _most is long most ? (int)Math.Min(_pageSize, most - _read) : _pageSize;
            var page = await _fetch(asked, limit, cancellationToken).ConfigureAwait(false);
            PagesRead++;
            Total = page.Total ?? Total;
            if (page.Offset != asked && page.Items.Count > 0)
                throw Misbehaved($"asked for the page at offset {asked}, it answered the one at offset {page.Offset}");
            IReadOnlyList<T> items = page.Keys == null ? page.Items : page.Items.Where((_, i) => _seen.Add(page.Keys[i])).ToList();
            if (items.Count == 0 && page.Items.Count > 0 && page.HasMore)
                throw Misbehaved($"the page at offset {asked} brought only what earlier pages had brought, yet it says there is more");
            if (_most is long cap && _read + items.Count > cap) items = items.Take((int)(cap - _read)).ToList();
            _read += items.Count;
            _offset = asked + page.Items.Count;
            _done = !page.HasMore || _offset >= Total || (_most is long m && _read >= m);
            return items;
        }

        private HeadshotProApiException Misbehaved(string what)
        {
            _done = true;
            return new HeadshotProApiException(ApiErrorKind.PagingMisbehaved,
                $"The server's paging misbehaved: {what}. The list stops there, after {_read} item{(_read == 1 ? "" : "s")}; it may be incomplete.", 200);
        }

        /// <summary>Every remaining item, page by page.</summary>
        public async Task<List<T>> RestAsync(CancellationToken cancellationToken)
        {
            var all = new List<T>();
            IReadOnlyList<T>? page;
            while ((page = await NextAsync(cancellationToken).ConfigureAwait(false)) != null) all.AddRange(page);
            return all;
        }
    }
}
