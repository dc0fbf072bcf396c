using System.Globalization;
using Npgsql;

namespace Candor.Bench.Peers;

/// <summary>
/// A real PostgreSQL server in a folder of the run, on a free port of 127.0.0.1, with trust authentication and its
/// default durability (fsync on): a benchmark of a store is worth little against a server that never syncs.
/// It refuses to run as root, so as root it runs as the postgres user; it is stopped through the postmaster's PID.
/// </summary>
internal sealed class Postgres : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _data;
    private int _databases;

    private Postgres(ChildProcess process, string data, int port)
    {
        _process = process;
        _data = data;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The CPU time of the postmaster, its backends and its background workers so far.</summary>
    public CpuTime Cpu() => CpuTime.Of(CpuTime.WithDescendants(_process.Pid));

    public static async Task<Postgres> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var bin = BinDirectory();
        File.SetUnixFileMode(directory, Permissions.WorldReadableDirectory);
        if (Permissions.RunningAsRoot)
        {
            await ChildProcess.RunAsync("chown", ["postgres:postgres", directory], cancellationToken);
        }

        var data = Path.Combine(directory, "data");
        var (initdb, initdbArguments) = AsPostgres(
            Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"]);
        await ChildProcess.RunAsync(initdb, initdbArguments, cancellationToken);

        var port = FreePort.Next();
        var (postgres, arguments) = AsPostgres(
            Path.Combine(bin, "postgres"),
            [
                "-D", data,
                "-p", port.ToString(CultureInfo.InvariantCulture),
                "-k", directory,
                "-c", "listen_addresses=127.0.0.1",
                "-c", "max_connections=300",
                "-c", "shared_buffers=256MB",
            ]);
        var server = new Postgres(ChildProcess.Start(postgres, arguments), data, port);
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns an Npgsql connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose, CancellationToken cancellationToken)
    {
        var name = $"{purpose}_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres", pooling: false)))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return ConnectionString(name, pooling: true);
    }

    /// <summary>SIGINT is PostgreSQL's fast shutdown: sessions end and every child process exits.</summary>
    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_data, "postmaster.pid");
        if (!_process.HasExited
            && File.Exists(pidFile)
            && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            await ChildProcess.RunAsync("kill", ["-s", "INT", pid.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // The dispose below kills what is left.
            }
        }

        await _process.DisposeAsync();
    }

    private string ConnectionString(string database, bool pooling) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = pooling,
        MaxPoolSize = 100,
    }.ConnectionString;

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"PostgreSQL exited with code {_process.ExitCode}:\n{_process.Tail()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres", pooling: false) + ";Timeout=2");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static (string FileName, IReadOnlyList<string> Arguments) AsPostgres(string fileName, IReadOnlyList<string> arguments) =>
        Permissions.RunningAsRoot ? ("runuser", ["-u", "postgres", "--", fileName, .. arguments]) : (fileName, arguments);

    private static string BinDirectory()
    {
        const string Root = "/usr/lib/postgresql";
        var newest = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Where(folder => File.Exists(Path.Combine(folder, "bin", "postgres")))
                .OrderByDescending(folder => decimal.TryParse(Path.GetFileName(folder), CultureInfo.InvariantCulture, out var version) ? version : -1)
                .Select(folder => Path.Combine(folder, "bin"))
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException($"PostgreSQL is not installed (no {Root}/*/bin/postgres); bench/run.sh installs it.");
    }
}
