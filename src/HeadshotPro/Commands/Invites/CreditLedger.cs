namespace HeadshotPro.Commands
{
    /// <summary>
    /// The credits of one New-HeadshotInvite run, handed out in input order. An invite is sent only with one whole credit
    /// reserved here from the balance read at the start, so when credits run short the addresses earliest in the input
    /// get them — the set its dry run names — whatever order the server takes the requests in. A request that took no
    /// credit (the address was invited already, say) gives its reservation back to the next address. When no whole
    /// credit is left while requests are in flight, the next address waits for them; when none are, the balance is read
    /// once more (credits bought meanwhile, outcomes that were unknown) before the rest are refused. With no balance to
    /// go by, invites go one at a time until the server says there is no credit left. A 402 for a reserved invite means
    /// something else spent credits meanwhile: nothing more is sent. Safe for the workers that report outcomes.
    /// </summary>
    internal sealed class CreditLedger
    {
        internal enum Step
        {
            /// <summary>One credit is reserved for the address: send it.</summary>
            Reserved,

            /// <summary>Wait for a request in flight to end (it may give its credit back), then ask again.</summary>
            Wait,

            /// <summary>Read the balance (<see cref="Read"/>), then ask again.</summary>
            ReadBalance,

            /// <summary>No credit is left for the address: it is not sent.</summary>
            Short,
        }

        internal enum Outcome
        {
            /// <summary>The invite was made, or may have been: its credit stays reserved.</summary>
            Spent,

            /// <summary>The request took no credit (refused, not sent, the address invited already).</summary>
            NotSpent,

            /// <summary>The server answered that no credit is left (402).</summary>
            Refused,
        }

        private readonly object _gate = new object();
        private decimal? _available;
        private bool _readSinceReserved = true;
        private bool _short;
        private bool _refused;

        /// <param name="balance">The balance read at the start of the run; null when it could not be read.</param>
        public CreditLedger(decimal? balance)
        {
            _available = balance;
            StartBalance = balance;
        }

        public decimal? StartBalance { get; }

        /// <summary>Whether the server answered that no credit is left: nothing more is sent in this run.</summary>
        public bool Refused
        {
            get { lock (_gate) return _refused; }
        }

        /// <summary>What the next address in input order may do, given whether requests of this run are in flight.</summary>
        public Step Reserve(bool requestsInFlight)
        {
            lock (_gate)
            {
                if (_short || _refused) return Step.Short;
                if (!(_available is decimal available)) return requestsInFlight ? Step.Wait : Step.Reserved; // one at a time
                if (available >= 1)
                {
                    _available = available - 1;
                    _readSinceReserved = false;
                    return Step.Reserved;
                }
                if (requestsInFlight) return Step.Wait;
                if (!_readSinceReserved) return Step.ReadBalance;
                _short = true;
                return Step.Short;
            }
        }

        /// <summary>The balance as the server says it now (nothing of this run in flight), or null when it could not be read.</summary>
        public void Read(decimal? balance)
        {
            lock (_gate)
            {
                _available = balance;
                _readSinceReserved = true;
            }
        }

        /// <summary>One reserved request ended (reported by the worker, before its result is handed on).</summary>
        public void Ended(Outcome outcome)
        {
            lock (_gate)
            {
                if (outcome == Outcome.Refused) _refused = true;
                else if (outcome == Outcome.NotSpent && _available is decimal available) _available = available + 1;
            }
        }
    }
}
