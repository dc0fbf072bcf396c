using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Candor.Notifications;

/// <summary>
/// The headers of every webhook Candor sends. The signature is an HMAC-SHA256, keyed with the receiver's secret,
/// over the timestamp, a dot and the body, so a receiver can check both that Candor sent it and that it is not
/// an old request played again (it refuses timestamps more than a few minutes off its own clock).
/// </summary>
public static class WebhookSignature
{
    public const string DeliveryHeader = "X-Candor-Delivery";
    public const string TimestampHeader = "X-Candor-Timestamp";
    public const string SignatureHeader = "X-Candor-Signature";

    public static IEnumerable<KeyValuePair<string, string>> Headers(string deliveryId, byte[] body, string? secret, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        yield return new(DeliveryHeader, deliveryId);
        yield return new(TimestampHeader, timestamp);
        if (secret is not null)
        {
            yield return new(SignatureHeader, Sign(secret, timestamp, body));
        }
    }

    /// <returns><c>sha256=</c> and the HMAC in lower-case hex.</returns>
    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed, timestamp.Length + 1);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
