using System.Globalization;
using Candor.Tests.Fixtures;
using Npgsql;

namespace Candor.Tests.Storage;

[Collection("postgres")]
public sealed class PostgresServerTests(PostgresServer server)
{
    private const string CountTables = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'";

    [Fact]
    public async Task Each_database_it_hands_out_is_fresh_and_separate()
    {
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();
        await ScalarAsync(first, "CREATE TABLE only_here (id integer)", CancellationToken.None);

        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
        Assert.Equal(1L, await ScalarAsync(first, CountTables, CancellationToken.None));
        Assert.Equal(0L, await ScalarAsync(second, CountTables, CancellationToken.None));
    }

    [Fact]
    public async Task Stopping_leaves_no_process_behind()
    {
        var own = new PostgresServer();
        await own.InitializeAsync();
        var postmaster = own.ProcessId;
        var children = ChildrenOf(postmaster);
        var database = await own.CreateDatabaseAsync();
        Assert.Equal(1L, await ScalarAsync(database, "SELECT 1::bigint", CancellationToken.None));

        await own.DisposeAsync();

        Assert.NotEmpty(children);
        Assert.All(children.Append(postmaster), pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still running"));
    }

    /// <summary>PostgreSQL's background processes: a clean stop must take them down too.</summary>
    private static List<int> ChildrenOf(int parent) =>
        Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Where(pid => ParentOf(pid) == parent)
            .ToList();

    private static int? ParentOf(int pid)
    {
        try
        {
            // The command name in field 2 may hold spaces, so the parent is read after its closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken) is long value ? value : 0;
    }
}
