using System.Globalization;

namespace HeadshotPro.Sandbox;

/// <summary>What the webhook options and settings accept; each throws <see cref="ArgumentException"/> with a one-line message.</summary>
public static class WebhookRules
{
    public const int MostRetries = 10;

    public static string Url(string name, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"{name} must be an absolute http or https URL, not '{value}'");
        return value;
    }

    /// <summary>The contract's secret: 64 hexadecimal characters.</summary>
    public static string Secret(string name, string value)
    {
        if (value.Length != 64 || !value.All(Uri.IsHexDigit)) throw new ArgumentException($"{name} must be 64 hexadecimal characters, as HeadshotPro's webhook secrets are");
        return value;
    }

    /// <summary>"0,300,900,3600": seconds before each retry (fractions allowed, e.g. "0,0.2,0.4"); "" for no retries.</summary>
    public static double[] Schedule(string name, string value)
    {
        if (value.Trim().Length == 0) return Array.Empty<double>();
        var parts = value.Split(',');
        var delays = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out delays[i]) || delays[i] is < 0 or > 86_400 || double.IsNaN(delays[i]))
                throw new ArgumentException($"{name} must be seconds from 0 to 86400 separated by commas, like \"0,300,900,3600\", not '{value}'");
        if (delays.Length > MostRetries) throw new ArgumentException($"{name} allows at most {MostRetries} retries");
        return delays;
    }

    public static string Text(double[] schedule) => string.Join(",", schedule.Select(d => d.ToString(CultureInfo.InvariantCulture)));
}
