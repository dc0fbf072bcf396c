using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Candor.Bench.Peers;
using Npgsql;

namespace Candor.Tests.Fixtures;

/// <summary>
/// A real PostgreSQL server for the whole test run, in a temporary directory, on a free port of 127.0.0.1, with
/// trust authentication. Test classes join the "postgres" collection and ask for a database of their own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _log = new();
    private string _directory = "";
    private Process? _server;
    private int _port;
    private int _databases;

    /// <summary>The postmaster's process id, to check that stopping leaves nothing behind.</summary>
    public int ProcessId { get; private set; }

    /// <summary>Creates a fresh, empty database and returns an Npgsql connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"candor_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres", pooling: false)))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return ConnectionString(name, pooling: true);
    }

    public async Task InitializeAsync()
    {
        var bin = FindBinDirectory();
        _directory = Directory.CreateTempSubdirectory("candor-pg-").FullName;
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await StartAsync(bin, timeout.Token);
        }
        catch (Exception ex)
        {
            await DisposeAsync();
            if (ex is OperationCanceledException && timeout.IsCancellationRequested)
            {
                throw new InvalidOperationException($"PostgreSQL did not start within {StartTimeout}.\n{Log()}", ex);
            }

            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            await StopAsync(_server, timeout.Token);
            _server = null;
        }

        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
            _directory = "";
        }
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    private async Task StartAsync(string bin, CancellationToken cancellationToken)
    {
        var data = DataDirectory;
        if (RunningAsRoot)
        {
            // PostgreSQL refuses to run as root, so its files belong to the postgres user.
            await RunAsync("chown", ["postgres:postgres", _directory], asPostgres: false, cancellationToken);
        }

        await RunAsync(
            Path.Combine(bin, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
            asPostgres: true,
            cancellationToken);

        _port = FreePort.Next();
        _server = Start(
            Path.Combine(bin, "postgres"),
            [
                "-D", data,
                "-p", _port.ToString(CultureInfo.InvariantCulture),
                "-k", _directory,
                "-c", "listen_addresses=127.0.0.1",
                "-c", "max_connections=200",
                // Durability is worth nothing for a server that is thrown away after the run.
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
            ]);
        await WaitUntilReadyAsync(cancellationToken);
        ProcessId = ReadPostmasterPid();
    }

    /// <param name="cancellationToken">Ends the wait for a clean stop; the process tree is then killed.</param>
    private async Task StopAsync(Process server, CancellationToken cancellationToken)
    {
        try
        {
            var pid = ProcessId > 0 ? ProcessId : ReadPostmasterPid();
            if (pid > 0 && !server.HasExited)
            {
                // SIGINT is PostgreSQL's fast shutdown: sessions are ended and every child process exits.
                await RunAsync("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)], asPostgres: false, cancellationToken);
            }
            else if (!server.HasExited)
            {
                // It failed before writing its pid file, so there is no clean shutdown to ask for.
                server.Kill(entireProcessTree: true);
            }

            try
            {
                await server.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                server.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"PostgreSQL did not stop within {StopTimeout}.\n{Log()}");
            }
        }
        finally
        {
            server.Dispose();
        }
    }

    /// <summary>The postmaster writes its pid first in this file; under runuser it is not the pid we started.</summary>
    private int ReadPostmasterPid()
    {
        var file = Path.Combine(DataDirectory, "postmaster.pid");
        return File.Exists(file)
            && int.TryParse(File.ReadLines(file).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : 0;
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private string ConnectionString(string database, bool pooling) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "postgres",
        Database = database,
        Pooling = pooling,
    }.ConnectionString;

    private static string FindBinDirectory()
    {
        const string Root = "/usr/lib/postgresql";
        var newest = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Select(dir => (Dir: dir, Version: decimal.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(entry => entry.Version >= 0 && File.Exists(Path.Combine(entry.Dir, "bin", "postgres")))
                .OrderByDescending(entry => entry.Version)
                .Select(entry => Path.Combine(entry.Dir, "bin"))
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed; ./test.sh installs it (looked for {Root}/*/bin/postgres).");
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_server!.HasExited)
            {
                throw new InvalidOperationException($"PostgreSQL exited with code {_server.ExitCode} while starting.\n{Log()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres", pooling: false) + ";Timeout=2");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private Process Start(string fileName, IReadOnlyList<string> arguments)
    {
        var process = new Process { StartInfo = StartInfo(fileName, arguments, asPostgres: true) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task RunAsync(
        string fileName, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(fileName, arguments, asPostgres))!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Append(await output);
        Append(await error);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited with code {process.ExitCode}.\n{Log()}");
        }
    }

    private static ProcessStartInfo StartInfo(string fileName, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && RunningAsRoot)
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("postgres");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(fileName);
        }
        else
        {
            info.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private void Append(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(text);
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }
}

/// <summary>Test classes that need PostgreSQL join this collection and share its one server.</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
}
