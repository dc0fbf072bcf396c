using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Candor.Tests.Fixtures;

/// <summary>
/// Certificates for the TLS tests, made with the openssl command line as an operator makes them: a private CA, the
/// leaf certificates it signs (for candor.test: valid, expiring in 3 days, expired; and one for wrong.test), and a
/// self-signed certificate for candor.test. The files live in a directory of their own, removed afterwards.
/// </summary>
public sealed class OpensslCertificates : IAsyncLifetime
{
    public const string HostName = "candor.test";
    public const string WrongHostName = "wrong.test";
    public const string CaName = "Candor Test CA";

    private readonly string _dir = Directory.CreateTempSubdirectory("candor-certs-").FullName;

    /// <summary>The CA certificate as PEM: what a monitor's `ca_file` names.</summary>
    public string CaFile => Path.Combine(_dir, "ca.crt");

    public TestCertificate Valid { get; private set; } = null!;

    public TestCertificate ExpiringSoon { get; private set; } = null!;

    public TestCertificate Expired { get; private set; } = null!;

    public TestCertificate WrongHost { get; private set; } = null!;

    public TestCertificate SelfSigned { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await OpensslAsync(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt", "-subj", $"/CN={CaName}", "-days", "365",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await File.WriteAllTextAsync(Path.Combine(_dir, "ca.cnf"), CaConfig);
        await File.WriteAllTextAsync(Path.Combine(_dir, "index.txt"), "");
        await File.WriteAllTextAsync(Path.Combine(_dir, "serial"), "1000\n");

        Valid = await SignAsync("valid", HostName, now.AddDays(-1), now.AddDays(90));
        ExpiringSoon = await SignAsync("expiring", HostName, now.AddDays(-1), now.AddDays(3));
        Expired = await SignAsync("expired", HostName, now.AddDays(-30), now.AddDays(-2));
        WrongHost = await SignAsync("wrong-host", WrongHostName, now.AddDays(-1), now.AddDays(90));

        await OpensslAsync(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "self-signed.key", "-out", "self-signed.crt", "-subj", $"/CN={HostName}", "-days", "90",
            "-addext", $"subjectAltName=DNS:{HostName}");
        SelfSigned = Load("self-signed");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>`openssl ca` rather than `openssl x509 -req`, because only it takes explicit start and end dates.</summary>
    private async Task<TestCertificate> SignAsync(string name, string host, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        await OpensslAsync(
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", $"{name}.key", "-out", $"{name}.csr", "-subj", $"/CN={host}");
        await File.WriteAllTextAsync(
            Path.Combine(_dir, $"{name}.ext"),
            $"""
            [ leaf ]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:{host}
            """);
        await OpensslAsync(
            "ca", "-batch", "-config", "ca.cnf", "-notext", "-in", $"{name}.csr", "-out", $"{name}.crt",
            "-startdate", UtcTime(notBefore), "-enddate", UtcTime(notAfter), "-extfile", $"{name}.ext", "-extensions", "leaf");
        return Load(name);
    }

    private TestCertificate Load(string name)
    {
        var certificateFile = Path.Combine(_dir, $"{name}.crt");
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(certificateFile);
        return new TestCertificate(certificateFile, Path.Combine(_dir, $"{name}.key"), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    private Task<string> OpensslAsync(params string[] arguments) =>
        ExternalCommand.RunAsync("openssl", arguments, workingDirectory: _dir);

    /// <summary>RFC 5280 wants UTCTime for dates before 2050.</summary>
    private static string UtcTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyMMddHHmmss'Z'", CultureInfo.InvariantCulture);

    private const string CaConfig = """
        [ ca ]
        default_ca = candor_test_ca

        [ candor_test_ca ]
        database = index.txt
        new_certs_dir = .
        certificate = ca.crt
        private_key = ca.key
        serial = serial
        default_md = sha256
        policy = any_name
        unique_subject = no
        email_in_dn = no

        [ any_name ]
        commonName = supplied
        """;
}

/// <summary>A certificate and its key as PEM files.</summary>
public sealed record TestCertificate(string CertificateFile, string KeyFile, DateTimeOffset NotAfter)
{
    /// <summary>With its private key, for a server to present.</summary>
    public X509Certificate2 LoadWithKey()
    {
        using var pem = X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);
        // Reloaded from PKCS#12 so that the key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }
}
