namespace Candor.Monitoring.Checks;

/// <summary>
/// A probe failure whose layer and wording are already known where it happens (a DNS lookup, a connect), carried
/// out through library code such as HttpClient that would otherwise replace it with a generic message.
/// </summary>
internal sealed class ProbeException(ErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;

    public static ProbeException? FindIn(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ProbeException probe)
            {
                return probe;
            }
        }

        return null;
    }
}
