using System.Net.Sockets;
using System.Text;
using Candor.Configuration;

namespace Candor.Monitoring.Checks;

/// <summary>
/// Opens one TCP connection to `host:port`; optionally writes <see cref="TcpSettings.Send"/> and reads until
/// <see cref="TcpSettings.Expect"/> appears. With `send` but no `expect` it reads the first reply it gets, so
/// conditions can look at it; anything that must match exactly belongs in `expect`.
/// </summary>
public sealed class TcpCheck : Check<TcpSettings>
{
    /// <summary>A peer that talks this much without saying what is expected will not say it.</summary>
    private const int MaxResponseBytes = 64 * 1024;

    /// <summary>How much of a response a failure message quotes.</summary>
    private const int QuotedChars = 200;

    protected override async Task<Observation> RunAsync(
        MonitorConfig monitor, TcpSettings settings, CheckContext context, CancellationToken cancellationToken)
    {
        var endpoint = HostPort.Parse(monitor.Target);
        var send = settings.Send is null ? null : TcpSettings.Unescape(settings.Send, out _);
        var expect = settings.Expect is null ? null : TcpSettings.Unescape(settings.Expect, out _);
        var trace = new ProbeTrace(context.Clock);
        try
        {
            using var socket = await SocketProbe.ConnectAsync(endpoint, trace, cancellationToken);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            if (send is not null)
            {
                trace.Enter($"sending to {endpoint}");
                await stream.WriteAsync(Encoding.UTF8.GetBytes(send), cancellationToken);
            }

            var facts = new Dictionary<string, object>(StringComparer.Ordinal);
            TimeSpan? firstByte = null;
            if (send is not null || expect is not null)
            {
                var waitingSince = trace.Enter(expect is null ? "waiting for a reply" : $"waiting for '{Quote(expect)}'");
                using var received = new MemoryStream();
                var response = "";
                var buffer = new byte[4096];
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    firstByte ??= context.Clock.GetElapsedTime(waitingSince);
                    received.Write(buffer, 0, read);
                    response = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
                    if (expect is null || response.Contains(expect, StringComparison.Ordinal))
                    {
                        break;
                    }

                    if (received.Length >= MaxResponseBytes)
                    {
                        return trace.Failed(
                            ErrorKind.Protocol,
                            $"expected '{Quote(expect)}' in the first {MaxResponseBytes / 1024} KiB but got '{Quote(response)}'");
                    }

                    trace.Enter($"waiting for '{Quote(expect)}' (got '{Quote(response)}' so far)");
                }

                if (expect is not null && !response.Contains(expect, StringComparison.Ordinal))
                {
                    return trace.Failed(ErrorKind.Protocol, response.Length == 0
                        ? $"expected '{Quote(expect)}' but {endpoint} closed the connection without sending anything"
                        : $"expected '{Quote(expect)}' but got '{Quote(response)}'");
                }

                facts["response"] = response;
            }

            var total = trace.Elapsed;
            facts["response_time"] = total;
            return new Observation { Facts = facts, ResponseTime = total, Timings = trace.Timings(firstByte) };
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return trace.TimedOut(monitor.Timeout);
        }
        catch (ProbeException ex)
        {
            return trace.Failed(ex.Kind, ex.Message);
        }
        catch (IOException ex)
        {
            return trace.Failed(
                ErrorKind.Connect, $"connection to {endpoint} broke ({trace.Phase}): {ex.GetBaseException().Message}");
        }
    }

    /// <summary>Shows control characters as escapes, so a message stays on one line and shows what was on the wire.</summary>
    private static string Quote(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > QuotedChars ? text[..QuotedChars] : text)
        {
            shown.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                '\\' => "\\\\",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return text.Length > QuotedChars ? shown.Append('…').ToString() : shown.ToString();
    }
}
