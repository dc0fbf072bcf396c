using System.Globalization;
using Candor.Configuration;

namespace Candor.Monitoring.Checks.Smtp;

/// <summary>
/// The probe an smtp monitor sends in its round trip: a plain, ordinary message like one a customer would write, so
/// that the pipeline treats it as it treats theirs, with its token in the subject (where every ticket system keeps
/// it) and again in the body.
/// </summary>
internal static class ProbeMessage
{
    public static string Compose(SmtpSettings settings, string token, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var date = utc.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var sent = utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"""
            Date: {date}
            From: <{settings.MailFrom}>
            To: <{settings.SendTo}>
            Subject: Candor delivery probe {token}
            Message-ID: <{token}@{settings.EhloName}>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii
            Content-Transfer-Encoding: 7bit

            This message checks that mail sent to {settings.SendTo} arrives.
            Candor sent it at {sent} and expects its arrival to be reported
            within {Duration.Format(settings.Deadline)}, with the token below.

            {token}

            It needs no answer and can be deleted.
            """.ReplaceLineEndings("\r\n");
    }
}
