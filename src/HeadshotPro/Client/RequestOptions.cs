using System;

namespace HeadshotPro.Client
{
    /// <summary>How one command's requests behave, beyond the session's settings.</summary>
    public sealed class RequestOptions
    {
        /// <summary>Hears each attempt and each wait.</summary>
        public IRequestObserver? Observer { get; set; }

        /// <summary>Overrides <see cref="ClientSettings.MaxRetryWait"/> for these requests.</summary>
        public TimeSpan? MaxRetryWait { get; set; }

        /// <summary>
        /// Asked before each attempt that cannot have reached the server yet; an exception it returns is thrown instead
        /// of sending (New-HeadshotInvite stops sending once credits run out, and every command once it is stopped).
        /// </summary>
        public Func<Exception?>? Veto { get; private set; }

        /// <summary>
        /// Whether the request may have reached the server: told true just before each attempt goes on the wire, and
        /// false after an attempt whose connection was refused when no attempt before it got through (nothing was sent).
        /// </summary>
        public Action<bool>? Sent { get; private set; }

        /// <summary>What the requests are for (an address), for the observer's lines.</summary>
        public string? Label { get; private set; }

        public RequestOptions WithVeto(Func<Exception?>? veto) => Copy(veto, Sent, Label);

        /// <summary>
        /// The same options for a look-up that must go regardless, such as finding an invite that was created: no veto
        /// stops it, and it does not tell <see cref="Sent"/> (a look-up changes nothing on the server).
        /// </summary>
        public RequestOptions WithoutVeto() => Copy(null, null, Label);

        public RequestOptions WithSent(Action<bool>? sent) => Copy(Veto, sent, Label);

        public RequestOptions WithLabel(string? label) => Copy(Veto, Sent, label);

        private RequestOptions Copy(Func<Exception?>? veto, Action<bool>? sent, string? label) =>
            new RequestOptions { Observer = Observer, MaxRetryWait = MaxRetryWait, Veto = veto, Sent = sent, Label = label };
    }
}
