namespace Candor.Monitoring.Checks.Dns;

/// <summary>
/// An answer that is not a well-formed DNS message, or not the answer to the query asked. It is the only exception
/// <see cref="DnsMessage.Parse"/> lets out, whatever the input, so a caller can treat any broken answer from the
/// network as one kind of failure.
/// </summary>
public sealed class DnsFormatException(string message) : Exception(message);
