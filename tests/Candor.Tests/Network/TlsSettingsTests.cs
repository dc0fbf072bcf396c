using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

public sealed class TlsSettingsTests
{
    [Fact]
    public void The_tls_type_is_in_the_catalog_with_its_subjects_and_fails_an_expired_certificate_by_default()
    {
        var kind = CheckCatalog.Find("tls");

        Assert.NotNull(kind);
        Assert.Equal(typeof(TlsCheck), kind.CheckType);
        Assert.Equal(typeof(TlsSettings), kind.SettingsType);
        Assert.Equal(
            ["cert_expires_in", "chain_valid", "hostname_valid", "issuer", "response_time", "subject", "tls_version"],
            kind.Subjects.Order(StringComparer.Ordinal));
        Assert.Equal("cert_expires_in > 0s", Assert.Single(kind.DefaultConditions).Text);
    }

    [Fact]
    public void The_defaults_verify_against_the_system_store_with_the_host_as_server_name()
    {
        var settings = new TlsSettings();

        Assert.True(settings.Verify);
        Assert.Null(settings.ServerName);
        Assert.Null(settings.CaFile);
        Assert.Empty(settings.Validate(Monitor("www.acme.example:443")));
    }

    [Theory]
    [InlineData("www.acme.example:8443", "www.acme.example", 8443)]
    [InlineData("www.acme.example", "www.acme.example", 443)]
    [InlineData("192.0.2.1", "192.0.2.1", 443)]
    [InlineData("192.0.2.1:993", "192.0.2.1", 993)]
    [InlineData("2001:db8::1", "2001:db8::1", 443)]
    [InlineData("[2001:db8::1]", "2001:db8::1", 443)]
    [InlineData("[2001:db8::1]:8443", "2001:db8::1", 8443)]
    public void A_target_is_host_and_port_and_the_port_defaults_to_443(string target, string host, int port)
    {
        Assert.True(TlsSettings.TryParseTarget(target, out var endpoint));
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("https://www.acme.example/")]
    [InlineData("www.acme.example:0")]
    [InlineData("www acme example")]
    public void A_target_that_is_not_host_and_port_is_a_problem_of_the_target_key(string target)
    {
        var problem = Assert.Single(new TlsSettings().Validate(Monitor(target)));

        Assert.Equal("target", problem.Key);
        Assert.Equal($"'{target}' is not host or host:port (an IPv6 address is written [2001:db8::1]:443)", problem.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void A_missing_target_is_a_problem(string? target)
    {
        var problem = Assert.Single(new TlsSettings().Validate(Monitor(target)));

        Assert.Equal(new ConfigProblem("target", "a tls monitor needs a target host:port, e.g. www.example.com:443"), problem);
    }

    [Fact]
    public void A_server_name_that_is_no_host_name_is_a_problem_of_the_server_name_key()
    {
        var problem = Assert.Single(new TlsSettings { ServerName = "candor test" }.Validate(Monitor("127.0.0.1")));

        Assert.Equal("server_name", problem.Key);
        Assert.Contains("candor test", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ca_file_that_does_not_exist_is_a_problem_of_the_ca_file_key()
    {
        var problem = Assert.Single(new TlsSettings { CaFile = "/nonexistent/ca.pem" }.Validate(null));

        Assert.Equal("ca_file", problem.Key);
        Assert.StartsWith("cannot read /nonexistent/ca.pem: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ca_file_without_a_certificate_is_a_problem_of_the_ca_file_key()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("ca.pem", "not a certificate\n");

        var problem = Assert.Single(new TlsSettings { CaFile = file }.Validate(null));

        Assert.Equal(new ConfigProblem("ca_file", $"{file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"), problem);
    }

    [Fact]
    public void The_keys_bind_from_the_config_file()
    {
        using var dir = new TempDirectory();
        var caFile = WriteCaFile(dir);

        var loaded = ConfigLoader.LoadText(
            $"""
            components: [ {"{"} id: web, name: Website {"}"} ]
            monitors:
              - id: web-tls
                component: web
                type: tls
                target: 127.0.0.1:8443
                server_name: candor.test
                verify: false
                ca_file: {caFile}
            """,
            "candor.yaml",
            _ => null);

        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        var settings = Assert.IsType<TlsSettings>(Assert.Single(loaded.Config!.Monitors).Settings);
        Assert.Equal(new TlsSettings { ServerName = "candor.test", Verify = false, CaFile = caFile }, settings);
    }

    private static string WriteCaFile(TempDirectory dir)
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=Private CA", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        return dir.Write("ca.pem", certificate.ExportCertificatePem());
    }

    private static MonitorConfig Monitor(string? target) => new() { Id = "web-tls", Type = "tls", Target = target };
}
