using System.Data.Common;
using Candor.Bench.Peers;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Candor.Bench.Suite;

/// <summary>
/// What the benchmarks of one run share: the scale, a folder, a log, and the peers, each started the first time a
/// benchmark asks for it and stopped, through its PID, when the run ends.
/// </summary>
internal sealed class BenchContext(BenchOptions options, string directory, Action<string> log) : IAsyncDisposable
{
    private readonly Shared<Nginx> _nginx = new(ct => Nginx.StartAsync(Folder(directory, "nginx"), ct));
    private readonly Shared<Postgres> _postgres = new(ct => Postgres.StartAsync(Folder(directory, "postgres"), ct));
    private readonly Shared<SmtpSink> _smtp = new(ct => SmtpSink.StartAsync(Folder(directory, "smtp"), ct));
    private readonly Shared<WebhookSink> _webhooks = new(WebhookSink.StartAsync);
    private int _folders;

    public BenchOptions Options { get; } = options;

    public BenchScale Scale => Options.Scale;

    public void Log(string message) => log(message);

    /// <summary>Starts <c>candor serve</c> on the config, from the candor.dll the options name.</summary>
    public Task<CandorServer> StartCandorAsync(string configPath, string workingDirectory, CancellationToken cancellationToken) =>
        CandorServer.StartAsync(Options.CandorDll ?? CandorServer.BuildOutput(), configPath, workingDirectory, cancellationToken);

    public Task<Nginx> NginxAsync(CancellationToken cancellationToken) => _nginx.GetAsync(cancellationToken);

    public Task<Postgres> PostgresAsync(CancellationToken cancellationToken) => _postgres.GetAsync(cancellationToken);

    public Task<SmtpSink> SmtpAsync(CancellationToken cancellationToken) => _smtp.GetAsync(cancellationToken);

    public Task<WebhookSink> WebhooksAsync(CancellationToken cancellationToken) => _webhooks.GetAsync(cancellationToken);

    /// <summary>A new empty folder of this run.</summary>
    public string NewFolder(string name) => Folder(directory, $"{Interlocked.Increment(ref _folders):00}-{name}");

    /// <summary>A new, empty store of that kind, as a <c>storage:</c> value.</summary>
    public async Task<string> NewStorageAsync(StoreKind kind, string name, CancellationToken cancellationToken) =>
        kind == StoreKind.Sqlite
            ? $"sqlite:{Path.Combine(NewFolder(name), "candor.db")}"
            : await (await PostgresAsync(cancellationToken)).CreateDatabaseAsync(name.Replace('-', '_'), cancellationToken);

    /// <summary>A connection of the benchmark's own to a store, beside Candor's, for seeding and reading back.</summary>
    public static async Task<DbConnection> OpenAsync(string storage, CancellationToken cancellationToken)
    {
        DbConnection connection = storage.StartsWith("sqlite:", StringComparison.Ordinal)
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = storage["sqlite:".Length..], Pooling = false }.ConnectionString)
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(storage) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _webhooks.DisposeAsync();
        await _smtp.DisposeAsync();
        await _postgres.DisposeAsync();
        await _nginx.DisposeAsync();
    }

    private static string Folder(string parent, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        File.SetUnixFileMode(folder, Peers.Permissions.WorldReadableDirectory);
        return folder;
    }

    /// <summary>A peer started once, on first use, and disposed with the run.</summary>
    private sealed class Shared<T>(Func<CancellationToken, Task<T>> start) : IAsyncDisposable
        where T : class, IAsyncDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private T? _value;

        public async Task<T> GetAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                return _value ??= await start(cancellationToken);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_value is not null)
            {
                await _value.DisposeAsync();
            }

            _gate.Dispose();
        }
    }
}
