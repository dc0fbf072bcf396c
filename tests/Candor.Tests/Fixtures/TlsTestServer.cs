using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Candor.Tests.Fixtures;

/// <summary>A TLS server on 127.0.0.1 that presents one certificate, completes the handshake and waits for the client to hang up.</summary>
public static class TlsTestServer
{
    /// <param name="protocols">The versions it accepts; None lets the system choose, which means TLS 1.3 where both sides have it.</param>
    public static TestTcpServer Start(X509Certificate2 certificate, SslProtocols protocols = SslProtocols.None) =>
        new(async (stream, cancellationToken) =>
        {
            await using var tls = new SslStream(stream, leaveInnerStreamOpen: true);
            try
            {
                var options = new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = protocols };
                await tls.AuthenticateAsServerAsync(options, cancellationToken);
                var buffer = new byte[1024];
                while (await tls.ReadAsync(buffer, cancellationToken) > 0)
                {
                }
            }
            catch (AuthenticationException)
            {
                // The client gave up on the handshake; the test looks at what the client saw.
            }
        });
}
