using System;

namespace HeadshotPro
{
    /// <summary>The organization's credit balance; shown to PowerShell as type <c>HeadshotPro.Credits</c>.</summary>
    public sealed class CreditBalance
    {
        public const string TypeName = "HeadshotPro.Credits";

        public CreditBalance(int credits, DateTimeOffset retrievedAt)
        {
            Credits = credits;
            RetrievedAt = retrievedAt;
        }

        public int Credits { get; }
        public DateTimeOffset RetrievedAt { get; }

        public override string ToString() => Credits.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
