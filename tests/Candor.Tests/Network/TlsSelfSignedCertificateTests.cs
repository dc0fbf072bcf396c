using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

public sealed class TlsSelfSignedCertificateTests(OpensslCertificates certificates) : IClassFixture<OpensslCertificates>
{
    [Fact]
    public async Task A_self_signed_certificate_fails_as_such()
    {
        using var certificate = certificates.SelfSigned.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);

        var observation = await Probes.TlsAsync(
            server.Port, new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile });

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.Equal("self-signed certificate", observation.FailureMessage);
        Assert.Equal(false, observation.Facts["chain_valid"]);
        Assert.Equal(true, observation.Facts["hostname_valid"]);
        Assert.Equal($"CN={OpensslCertificates.HostName}", observation.Facts["issuer"]);
    }

    [Fact]
    public async Task Without_verification_a_self_signed_certificate_is_up_by_default()
    {
        using var certificate = certificates.SelfSigned.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);
        var monitor = Probes.Monitor(
            "tls", $"127.0.0.1:{server.Port}", new TlsSettings { ServerName = OpensslCertificates.HostName, Verify = false });

        var observation = await Probes.RunAsync(monitor);

        Assert.Null(observation.Failure);
        Assert.Equal(false, observation.Facts["chain_valid"]);
        Assert.Equal(Outcome.Up, Probes.Judge(monitor, observation).Outcome);
    }
}
