using Candor.Monitoring.Checks;
using Candor.Monitoring.Checks.Dns;
using Candor.Monitoring.Checks.Smtp;
using Candor.Monitoring.Conditions;

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
    /// <summary>What a monitor of this type must satisfy when its config lists no conditions.</summary>
    public IReadOnlyList<Condition> DefaultConditions { get; init; } = [];

    /// <summary>
    /// Why a monitor of this type cannot be run once on demand, as `candor test` runs monitors (a heartbeat waits for
    /// its job to ping); null for the types that probe their target.
    /// </summary>
    public string? CannotRunOnce { get; init; }

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
        CheckKind.Of<HttpCheck, HttpSettings>("http", [.. HttpSettings.Subjects]) with { DefaultConditions = HttpSettings.DefaultConditions },
        CheckKind.Of<TcpCheck, TcpSettings>("tcp", "response", "response_time"),
        CheckKind.Of<HeartbeatCheck, HeartbeatSettings>("heartbeat", "last_ping_age", "response_time")
            with { ConfirmsAtOnce = true, CannotRunOnce = "a heartbeat waits for its job to ping; there is nothing to probe" },
        CheckKind.Of<DnsCheck, DnsSettings>("dns", "rcode", "answers", "ttl", "response_time")
            with { DefaultConditions = [ConditionParser.Parse("rcode == NOERROR")] },
        CheckKind.Of<SmtpCheck, SmtpSettings>("smtp", "banner", "extensions", "starttls", "response_time", "cert_expires_in"),
        // With verify: false the chain is only reported, but an expired certificate still fails unless conditions say otherwise.
        CheckKind.Of<TlsCheck, TlsSettings>("tls", "tls_version", "chain_valid", "hostname_valid", "cert_expires_in", "issuer", "subject", "response_time")
            with { DefaultConditions = [ConditionParser.Parse("cert_expires_in > 0s")] },
        CheckKind.Of<IcmpCheck, IcmpSettings>("icmp", "packet_loss", "rtt_min", "rtt_avg", "rtt_max", "response_time"),
    ];

    public static CheckKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}
