using System.Globalization;

namespace Candor.Bench.Benchmarks;

/// <summary>Pieces of the candor.yaml files the benchmarks write.</summary>
internal static class ConfigText
{
    /// <summary>A YAML single-quoted scalar: a connection string holds ';' and '=', a URL ':'.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A duration as the config writes one, to the millisecond.</summary>
    public static string Duration(TimeSpan value) =>
        ((long)Math.Round(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
}
