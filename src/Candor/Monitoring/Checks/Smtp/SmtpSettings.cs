using Candor.Configuration;

namespace Candor.Monitoring.Checks.Smtp;

/// <summary>Whether the check upgrades the connection with STARTTLS (RFC 3207).</summary>
public enum StartTlsMode
{
    /// <summary>Upgrade when the server offers it; a server that offers it and then fails the handshake is down.</summary>
    Optional,

    /// <summary>A server that does not offer STARTTLS is down: mail to it would travel in the clear.</summary>
    Required,

    /// <summary>Never upgrade, e.g. for a server on a trusted network whose certificate is not worth checking.</summary>
    Off,
}

/// <summary>
/// The keys of an `smtp` monitor, whose target is <c>host:port</c> (port 25 when none is given).
/// </summary>
/// <remarks>
/// <para>
/// Without <see cref="SendTo"/> the check greets the server, records what it offers, upgrades to TLS and signs in
/// when asked to, and says goodbye. With it, the check also sends a probe message and is up once the server has
/// accepted it; whether the message then reached its destination is judged by the heartbeat monitor named in
/// <see cref="Heartbeat"/>.
/// </para>
/// <para>
/// The round trip: the probe's subject and body carry a token such as <c>candor-probe-k3j5x7q2m4n6p8r2</c>. The
/// pipeline that receives mail at <see cref="SendTo"/> (a ticket system, a script behind an alias) must then call
/// that heartbeat's ping URL, <c>/ping/{heartbeat-token}</c>, with the probe token either in the query,
/// <c>?probe=candor-probe-…</c>, or anywhere in a POST body (the subject line or the whole ticket as JSON will
/// do). The heartbeat is down when the newest probe whose deadline has passed was not reported by then, e.g.
/// "probe candor-probe-… sent at 17:05:00Z was not delivered within 5m"; each report is also an ordinary ping,
/// so the heartbeat's own `every` still applies, and should be no shorter than this monitor's interval plus the
/// deadline.
/// </para>
/// </remarks>
public sealed record SmtpSettings : IValidatableConfig, IMonitorReferences
{
    public const int DefaultPort = 25;

    public StartTlsMode Starttls { get; init; } = StartTlsMode.Optional;

    /// <summary>When false any certificate is accepted after STARTTLS, and its expiry is still reported.</summary>
    public bool VerifyTls { get; init; } = true;

    /// <summary>The name the check gives in EHLO; some servers refuse names that do not look like a host.</summary>
    public string EhloName { get; init; } = "candor.local";

    /// <summary>When set, the check signs in (AUTH PLAIN, else LOGIN) after STARTTLS and is down if refused.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>The mailbox a probe message is sent to; unset, no message is sent.</summary>
    public string? SendTo { get; init; }

    /// <summary>The sender of the probe; required with <see cref="SendTo"/>, since servers refuse unknown senders.</summary>
    public string? MailFrom { get; init; }

    /// <summary>How long the pipeline has to report a probe to the heartbeat.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The id of the heartbeat monitor, in the same config, that judges whether probes arrive.</summary>
    public string? Heartbeat { get; init; }

    public IEnumerable<MonitorReference> References =>
        Heartbeat is null ? [] : [new MonitorReference("heartbeat", Heartbeat, "heartbeat")];

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (monitor is not null)
        {
            if (string.IsNullOrWhiteSpace(monitor.Target))
            {
                yield return new ConfigProblem("target", "an smtp monitor needs a target host, e.g. mail.example.com or mail.example.com:587");
            }
            else if (!TryParseTarget(monitor.Target, out _))
            {
                yield return new ConfigProblem(
                    "target", $"'{monitor.Target}' is not host or host:port (an IPv6 address is written [2001:db8::1]:25)");
            }
        }

        if (string.IsNullOrWhiteSpace(EhloName) || !EhloName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '[' or ']' or ':'))
        {
            yield return new ConfigProblem("ehlo_name", $"'{EhloName}' is not a host name to give in EHLO");
        }

        if ((Username is null) != (Password is null))
        {
            yield return new ConfigProblem(Username is null ? "password" : "username", "username and password go together");
        }
        else if (Username is not null && Starttls == StartTlsMode.Off)
        {
            yield return new ConfigProblem("username", "a password is never sent without TLS: remove starttls: off");
        }

        foreach (var problem in ValidateRoundTrip())
        {
            yield return problem;
        }
    }

    /// <summary>Host or host:port; the port is 25 when it is not given.</summary>
    internal static bool TryParseTarget(string? text, out HostPort endpoint)
    {
        if (HostPort.TryParse(text, out endpoint))
        {
            return true;
        }

        var host = text?.Trim('[', ']');
        if (string.IsNullOrWhiteSpace(host) || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '[' or ']')
            || (host.Contains(':', StringComparison.Ordinal) && !System.Net.IPAddress.TryParse(host, out _)))
        {
            return false;
        }

        endpoint = new HostPort(host, DefaultPort);
        return true;
    }

    private IEnumerable<ConfigProblem> ValidateRoundTrip()
    {
        if (SendTo is not null && !IsMailbox(SendTo))
        {
            yield return new ConfigProblem("send_to", $"'{SendTo}' is not a mailbox such as support@example.com");
        }

        if (MailFrom is not null && !IsMailbox(MailFrom))
        {
            yield return new ConfigProblem("mail_from", $"'{MailFrom}' is not a mailbox such as candor@example.com");
        }

        if (SendTo is not null && MailFrom is null)
        {
            yield return new ConfigProblem("send_to", "send_to needs mail_from: the sender the server should accept the probe from");
        }

        if (SendTo is null && (MailFrom is not null || Heartbeat is not null))
        {
            yield return new ConfigProblem(
                MailFrom is not null ? "mail_from" : "heartbeat", "this belongs to the round trip, which needs send_to: the mailbox to probe");
        }

        if (Deadline <= TimeSpan.Zero)
        {
            yield return new ConfigProblem("deadline", "deadline must be more than 0");
        }
    }

    /// <summary>ASCII only, since the check does not speak SMTPUTF8; enough to catch typos, not a full RFC 5321 parser.</summary>
    private static bool IsMailbox(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < text.Length - 1 && at == text.LastIndexOf('@')
            && text.All(c => c is > ' ' and < '\x7f' and not ('<' or '>' or '(' or ')' or ',' or ';' or '\\' or '"'));
    }
}
