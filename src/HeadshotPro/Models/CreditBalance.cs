using System;

namespace HeadshotPro
{
    /// <summary>The organization's credit balance; shown to PowerShell as type <c>HeadshotPro.Credits</c>.</summary>
    public sealed class CreditBalance
    {
        public const string TypeName = "HeadshotPro.Credits";

        public CreditBalance(decimal credits, DateTimeOffset retrievedAt)
        {
            Credits = credits;
            RetrievedAt = retrievedAt;
        }

        /// <summary>The balance available to reserve; fractional on packages that charge part of a credit.</summary>
        public decimal Credits { get; }
        public DateTimeOffset RetrievedAt { get; }

        public override string ToString() => Credits.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
