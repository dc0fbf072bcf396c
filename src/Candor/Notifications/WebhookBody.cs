using Candor.StatusPage.Api;

namespace Candor.Notifications;

/// <summary>
/// The body every webhook subscriber gets about one incident event, rendered once: the copies differ only in the
/// unsubscribe link and the delivery id, whose JSON strings are put in place of two marks when a copy is made.
/// </summary>
public sealed class WebhookBody
{
    private readonly byte[] _head;
    private readonly byte[] _middle;
    private readonly byte[] _tail;

    /// <param name="rendered">The body rendered with <paramref name="unsubscribeMark"/> and <paramref name="deliveryMark"/>.</param>
    /// <param name="unsubscribeMark">The unsubscribe link written in place of a subscriber's: before the delivery id in the body.</param>
    /// <param name="deliveryMark">The delivery id written in place of a real one.</param>
    public WebhookBody(byte[] rendered, string unsubscribeMark, string deliveryMark)
    {
        var unsubscribe = Find(rendered, RailsJsonText.Quote(unsubscribeMark), 0);
        var delivery = Find(rendered, RailsJsonText.Quote(deliveryMark), unsubscribe.End);
        _head = rendered[..unsubscribe.Start];
        _middle = rendered[unsubscribe.End..delivery.Start];
        _tail = rendered[delivery.End..];
    }

    public byte[] For(string unsubscribe, string deliveryId)
    {
        var link = RailsJsonText.Quote(unsubscribe);
        var id = RailsJsonText.Quote(deliveryId);
        var body = new byte[_head.Length + link.Length + _middle.Length + id.Length + _tail.Length];
        var at = 0;
        foreach (var part in (ReadOnlySpan<byte[]>)[_head, link, _middle, id, _tail])
        {
            part.CopyTo(body, at);
            at += part.Length;
        }

        return body;
    }

    /// <returns>Where the only quoted mark at or after <paramref name="from"/> starts and ends.</returns>
    private static (int Start, int End) Find(byte[] rendered, byte[] quotedMark, int from)
    {
        var at = rendered.AsSpan(from).IndexOf(quotedMark);
        if (at < 0 || rendered.AsSpan(from + at + quotedMark.Length).IndexOf(quotedMark) >= 0)
        {
            throw new InvalidOperationException("The webhook body does not hold its mark exactly once where it is expected.");
        }

        return (from + at, from + at + quotedMark.Length);
    }
}
