using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

public sealed class TlsWrongHostTests(OpensslCertificates certificates) : IClassFixture<OpensslCertificates>
{
    [Fact]
    public async Task A_certificate_for_another_name_fails_naming_both()
    {
        using var certificate = certificates.WrongHost.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);

        var observation = await Probes.TlsAsync(
            server.Port, new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile });

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.Equal("certificate for wrong.test does not match candor.test", observation.FailureMessage);
        Assert.Equal(true, observation.Facts["chain_valid"]);
        Assert.Equal(false, observation.Facts["hostname_valid"]);
    }

    [Fact]
    public async Task Without_a_server_name_the_certificate_is_checked_against_the_host_of_the_target()
    {
        using var certificate = certificates.WrongHost.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);

        var observation = await Probes.TlsAsync(server.Port, new TlsSettings { CaFile = certificates.CaFile });

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.Equal("certificate for wrong.test does not match 127.0.0.1", observation.FailureMessage);
    }

    [Fact]
    public async Task Without_verification_a_wrong_name_is_only_a_fact_for_conditions()
    {
        using var certificate = certificates.WrongHost.LoadWithKey();
        await using var server = TlsTestServer.Start(certificate);
        var monitor = Probes.Monitor(
            "tls",
            $"127.0.0.1:{server.Port}",
            new TlsSettings { ServerName = OpensslCertificates.HostName, CaFile = certificates.CaFile, Verify = false },
            conditions: ["hostname_valid == true"]);

        var observation = await Probes.RunAsync(monitor);
        var result = Probes.Judge(monitor, observation);

        Assert.Null(observation.Failure);
        Assert.Equal(false, observation.Facts["hostname_valid"]);
        Assert.Equal($"CN={OpensslCertificates.WrongHostName}", observation.Facts["subject"]);
        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal("hostname_valid (false) == true", result.Message);
    }
}
