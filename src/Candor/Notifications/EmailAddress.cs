using System.Net.Mail;

namespace Candor.Notifications;

public static class EmailAddress
{
    /// <summary>A bare address (no display name, no list), as a person types it into a form.</summary>
    public static bool IsValid(string? text) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= 254
        && MailAddress.TryCreate(text.Trim(), out var address) && address.Address == text.Trim() && address.Host.Contains('.', StringComparison.Ordinal);

    /// <summary>Addresses are compared lower-cased, so one person cannot subscribe twice by changing case.</summary>
    public static string Normalize(string text) => text.Trim().ToLowerInvariant();
}
