using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

public sealed class TlsExpiringCertificateTests(OpensslCertificates certificates) : IClassFixture<OpensslCertificates>
{
    [Fact]
    public async Task A_certificate_expiring_in_three_days_is_valid_but_fails_a_condition_asking_for_fourteen()
    {
        using var certificate = certificates.ExpiringSoon.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);
        var monitor = Probes.Monitor(
            "tls",
            $"127.0.0.1:{server.Port}",
            new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile },
            conditions: ["cert_expires_in > 14d"]);

        var observation = await Probes.RunAsync(monitor);
        var result = Probes.Judge(monitor, observation);

        Assert.Null(observation.Failure);
        Assert.Equal(true, observation.Facts["chain_valid"]);
        var expiresIn = Assert.IsType<TimeSpan>(observation.Facts["cert_expires_in"]);
        Assert.InRange(expiresIn, TimeSpan.FromDays(3) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(3));
        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal(ErrorKind.Assertion, result.ErrorKind);
        Assert.StartsWith("cert_expires_in (2d23h", result.Message, StringComparison.Ordinal);
        Assert.EndsWith(") > 14d", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_expiring_in_three_days_passes_the_default_condition()
    {
        using var certificate = certificates.ExpiringSoon.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);
        var monitor = Probes.Monitor(
            "tls", $"127.0.0.1:{server.Port}", new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile });

        var result = Probes.Judge(monitor, await Probes.RunAsync(monitor));

        Assert.Equal(Outcome.Up, result.Outcome);
    }
}
