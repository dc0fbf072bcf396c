using System.Net;
using Candor.Bench.Peers;
using Candor.Tests.Fixtures;

namespace Candor.Tests.ConsoleTests;

/// <summary>`candor user` as an operator scripts it: the password on standard input, never as an argument.</summary>
public sealed class UserCommandTests : IDisposable
{
    private const string Password = "piped in, never typed";
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_user_added_with_the_password_on_stdin_signs_in_to_the_running_server_until_removed()
    {
        var config = _dir.Write("candor.yaml", $$"""
            storage: sqlite:{{_dir.Path}}/candor.db
            components: [ { id: web, name: Website } ]

            """);

        var (added, output) = await CandorProcess.RunWithInputAsync(_dir.Path, Password + "\n", "user", "add", "Dana", "--role", "responder", "--config", config);
        Assert.True(added == 0, output);
        Assert.Contains("Added responder 'dana'", output, StringComparison.Ordinal);
        var (again, againOutput) = await CandorProcess.RunWithInputAsync(_dir.Path, Password + "\n", "user", "add", "dana", "--role", "admin", "--password-stdin", "--config", config);
        Assert.Equal(1, again);
        Assert.Contains("exists already", againOutput, StringComparison.Ordinal);
        var (_, listed) = await CandorProcess.RunAsync(_dir.Path, "user", "list", "--config", config);
        Assert.Matches(@"dana\s+responder\s+created .* never signed in\s+active", listed);
        Assert.DoesNotContain("AQAAAA", listed, StringComparison.Ordinal);

        var port = FreePort.Next();
        await using (var candor = await CandorProcess.ServeAsync(_dir.Path, config, port))
        {
            Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(port, Password));
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(port, "not the password"));
            Assert.Equal(0, await candor.StopAsync());
        }

        var (removed, removeOutput) = await CandorProcess.RunAsync(_dir.Path, "user", "remove", "dana", "--config", config);
        Assert.True(removed == 0, removeOutput);
        await using (await CandorProcess.ServeAsync(_dir.Path, config, port))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(port, Password));
        }
    }

    [Theory]
    [InlineData("short\n", "a password needs at least 12 characters")]
    [InlineData("", "no password was given")]
    public async Task A_missing_or_short_password_adds_no_user(string input, string message)
    {
        var (exitCode, output) = await CandorProcess.RunWithInputAsync(_dir.Path, input, "user", "add", "dana", "--role", "viewer");

        Assert.Equal(1, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "data")));
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<HttpStatusCode> SignInAsync(int port, string password)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var browser = new ConsoleClient(baseAddress);
        return (await browser.SignInAsync("dana", password)).Status;
    }
}
