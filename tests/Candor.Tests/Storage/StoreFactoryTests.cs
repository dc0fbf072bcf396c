using Candor.Storage;
using Candor.Storage.Postgres;
using Npgsql;

namespace Candor.Tests.Storage;

public sealed class StoreFactoryTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("candor-factory-");

    [Fact]
    public async Task A_relative_sqlite_path_is_taken_from_the_working_directory_and_its_folder_is_created()
    {
        var file = Path.Combine(_directory.FullName, "nested", "data", "candor.db");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);

        await using var store = StoreFactory.Create($"sqlite:{relative}");
        await store.MigrateAsync(CancellationToken.None);

        Assert.True(File.Exists(file));
    }

    [Theory]
    [InlineData("postgres://us%40er:p%3Ass%2Fw@db.example:6543/candor?sslmode=disable")]
    [InlineData("postgresql://us%40er:p%3Ass%2Fw@db.example:6543/candor?sslmode=disable")]
    public void A_postgres_url_becomes_an_npgsql_connection_string_with_user_and_password_decoded(string url)
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString(url));

        Assert.Equal("db.example", settings.Host);
        Assert.Equal(6543, settings.Port);
        Assert.Equal("candor", settings.Database);
        Assert.Equal("us@er", settings.Username);
        Assert.Equal("p:ss/w", settings.Password);
        Assert.Equal(SslMode.Disable, settings.SslMode);
    }

    [Fact]
    public void A_postgres_url_without_port_or_options_keeps_the_defaults()
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgres://candor@db.example/status"));

        Assert.Equal(5432, settings.Port);
        Assert.Equal("candor", settings.Username);
        Assert.Null(settings.Password);
        Assert.Equal("status", settings.Database);
        Assert.Equal(SslMode.Prefer, settings.SslMode);
    }

    [Theory]
    [InlineData("sqlite:data/candor.db")]
    [InlineData("postgres://candor:secret@localhost:5432/candor?sslmode=disable")]
    [InlineData("postgresql://candor:secret@localhost/candor")]
    [InlineData("Host=localhost;Port=5432;Username=candor;Password=secret;Database=candor")]
    public async Task Every_accepted_form_makes_a_store_without_connecting(string storage)
    {
        // Kept out of the working directory, which the sqlite form would otherwise write into.
        await using var store = StoreFactory.Create(storage.Replace("data/", _directory.FullName + "/", StringComparison.Ordinal));

        Assert.NotNull(store);
    }

    [Theory]
    [InlineData("")]
    [InlineData("candor.db")]
    [InlineData("sqlite:")]
    [InlineData("mysql://candor:secret@localhost/candor")]
    [InlineData("Server=localhost;Database=candor")]
    public void Anything_else_is_refused_with_the_accepted_forms(string storage)
    {
        var error = Assert.Throws<ArgumentException>(() => StoreFactory.Create(storage));

        Assert.Contains("sqlite:PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgres://", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host=", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://candor:secret@/candor")]
    [InlineData("postgres://candor:secret@db.example/candor?sslmode=sometimes")]
    [InlineData("postgres://candor:secret@db.example/candor?pool=yes")]
    public void A_bad_postgres_url_is_refused_without_repeating_the_password(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => StoreFactory.Create(url));

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
