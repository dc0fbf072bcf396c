namespace Candor.Notifications;

/// <summary>A delivery that failed, saying whether trying again later can help (a 500 can; a 410 cannot).</summary>
public sealed class DeliveryException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}
