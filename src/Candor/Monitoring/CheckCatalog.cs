namespace Candor.Monitoring;

/// <summary>
/// A check type as the config knows it: its name, the class that runs it, the record its own keys bind to,
/// and the condition subjects its observations carry.
/// </summary>
/// <param name="ConfirmsAtOnce">
/// True for types whose single failure is already certain (a heartbeat past its deadline): the location view
/// turns down on the first failure instead of waiting for `confirm_after`.
/// </param>
public sealed record CheckKind(
    string Name, Type CheckType, Type SettingsType, IReadOnlySet<string> Subjects, bool ConfirmsAtOnce = false)
{
    public static CheckKind Of<TCheck, TSettings>(string name, params string[] subjects)
        where TCheck : class, ICheck
        where TSettings : class, new() =>
        new(name, typeof(TCheck), typeof(TSettings), new HashSet<string>(subjects, StringComparer.Ordinal));
}

/// <summary>Every check type. A new type is one class, one settings record and one line here.</summary>
public static class CheckCatalog
{
    public static readonly IReadOnlyList<CheckKind> All =
    [
        CheckKind.Of<Checks.Dns.DnsCheck, Checks.Dns.DnsSettings>("dns", "rcode", "answers", "ttl", "response_time"),
    ];

    public static CheckKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}
