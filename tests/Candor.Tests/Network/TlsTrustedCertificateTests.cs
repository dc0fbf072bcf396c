using System.Security.Authentication;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

public sealed class TlsTrustedCertificateTests(OpensslCertificates certificates) : IClassFixture<OpensslCertificates>
{
    [Fact]
    public async Task A_certificate_from_the_trusted_CA_for_the_server_name_is_reported_with_its_facts()
    {
        using var certificate = certificates.Valid.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);

        var observation = await Probes.TlsAsync(
            server.Port, new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile });

        Assert.Null(observation.Failure);
        Assert.Equal("TLSv1.3", observation.Facts["tls_version"]);
        Assert.Equal(true, observation.Facts["chain_valid"]);
        Assert.Equal(true, observation.Facts["hostname_valid"]);
        Assert.Equal($"CN={OpensslCertificates.CaName}", observation.Facts["issuer"]);
        Assert.Equal($"CN={OpensslCertificates.HostName}", observation.Facts["subject"]);
        var expiresIn = Assert.IsType<TimeSpan>(observation.Facts["cert_expires_in"]);
        var expected = certificates.Valid.NotAfter - DateTimeOffset.UtcNow;
        Assert.InRange(expiresIn, expected - TimeSpan.FromMinutes(1), expected + TimeSpan.FromMinutes(1));
        Assert.Equal(observation.ResponseTime, observation.Facts["response_time"]);
        Assert.NotNull(observation.Timings.Connect);
        Assert.NotNull(observation.Timings.Tls);
        Assert.Null(observation.Timings.Dns);
    }

    [Fact]
    public async Task The_version_the_server_negotiates_is_reported()
    {
        using var certificate = certificates.Valid.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate, SslProtocols.Tls12);

        var observation = await Probes.TlsAsync(
            server.Port, new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile });

        Assert.Null(observation.Failure);
        Assert.Equal("TLSv1.2", observation.Facts["tls_version"]);
    }

    [Fact]
    public async Task A_valid_certificate_passes_the_default_condition()
    {
        using var certificate = certificates.Valid.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);
        var monitor = Probes.Monitor(
            "tls", $"127.0.0.1:{server.Port}", new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile });

        var result = Probes.Judge(monitor, await Probes.RunAsync(monitor));

        Assert.Equal(Outcome.Up, result.Outcome);
    }

    [Fact]
    public async Task Conditions_on_every_fact_hold_for_a_good_certificate()
    {
        using var certificate = certificates.Valid.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);
        var monitor = Probes.Monitor(
            "tls",
            $"127.0.0.1:{server.Port}",
            new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile },
            conditions:
            [
                "tls_version == TLSv1.3", "chain_valid == true", "hostname_valid == true", "cert_expires_in > 14d",
                "issuer contains \"Candor Test CA\"", "subject == \"CN=candor.test\"", "response_time < 5s",
            ]);

        var result = Probes.Judge(monitor, await Probes.RunAsync(monitor));

        Assert.Equal(Outcome.Up, result.Outcome);
        Assert.Null(result.Message);
    }

    [Fact]
    public async Task Without_ca_file_a_private_CA_is_not_trusted()
    {
        using var certificate = certificates.Valid.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);

        var observation = await Probes.TlsAsync(server.Port, new TlsSettings { ServerName = OpensslCertificates.HostName });

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.Equal(
            $"the issuer of 'CN={OpensslCertificates.HostName}' is unknown ('CN={OpensslCertificates.CaName}'); is the server sending its intermediate certificates?",
            observation.FailureMessage);
        Assert.Equal(false, observation.Facts["chain_valid"]);
        Assert.Equal(true, observation.Facts["hostname_valid"]);
    }
}
