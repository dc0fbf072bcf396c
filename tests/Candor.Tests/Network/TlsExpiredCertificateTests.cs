using System.Globalization;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

public sealed class TlsExpiredCertificateTests(OpensslCertificates certificates) : IClassFixture<OpensslCertificates>
{
    [Fact]
    public async Task An_expired_certificate_fails_with_the_day_it_expired()
    {
        using var certificate = certificates.Expired.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);

        var observation = await Probes.TlsAsync(
            server.Port, new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile });

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.Equal($"certificate expired on {Day(certificates.Expired.NotAfter)}", observation.FailureMessage);
        Assert.Equal(false, observation.Facts["chain_valid"]);
        Assert.True((TimeSpan)observation.Facts["cert_expires_in"] < -TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Without_verification_an_expired_certificate_still_fails_the_default_condition()
    {
        using var certificate = certificates.Expired.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);
        var monitor = Probes.Monitor(
            "tls",
            $"127.0.0.1:{server.Port}",
            new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile, Verify = false });

        var observation = await Probes.RunAsync(monitor);
        var result = Probes.Judge(monitor, observation);

        Assert.Null(observation.Failure);
        Assert.Equal(false, observation.Facts["chain_valid"]);
        Assert.Equal(true, observation.Facts["hostname_valid"]);
        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal(ErrorKind.Assertion, result.ErrorKind);
        Assert.StartsWith("cert_expires_in (-2d", result.Message, StringComparison.Ordinal);
        Assert.EndsWith(") > 0s", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_is_judged_on_the_clock_of_the_check()
    {
        using var certificate = certificates.Valid.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);
        var later = new ManualClock(certificates.Valid.NotAfter.AddDays(1));

        var observation = await Probes.TlsAsync(
            server.Port, new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile }, later);

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.Equal($"certificate expired on {Day(certificates.Valid.NotAfter)}", observation.FailureMessage);
        Assert.Equal(-TimeSpan.FromDays(1), observation.Facts["cert_expires_in"]);
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
