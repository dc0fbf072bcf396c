using System.Net;
using Candor.Bench.Peers;
using Candor.Tests.Fixtures;

namespace Candor.Tests.EndToEnd;

/// <summary>`candor token` as an operator uses it: create, list, revoke, against the store of a config.</summary>
public sealed class TokenCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_created_token_opens_the_api_until_it_is_revoked()
    {
        var port = FreePort.Next();
        var config = _dir.Write("candor.yaml", $$"""
            storage: sqlite:{{_dir.Path}}/candor.db
            components: [ { id: web, name: Website } ]

            """);

        var (created, output) = await CandorProcess.RunAsync(_dir.Path, "token", "create", "--config", config, "--role", "responder", "--name", "ci-bot");
        Assert.True(created == 0, output);
        var secret = output.Trim().Split('\n')[^1].Trim();
        Assert.StartsWith("cnd_", secret, StringComparison.Ordinal);
        Assert.Contains("Created a responder token named 'ci-bot'", output, StringComparison.Ordinal);

        var (_, listed) = await CandorProcess.RunAsync(_dir.Path, "token", "list", "--config", config);
        Assert.Matches(@"ci-bot\s+responder\s+created .* active", listed);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        await using (var candor = await CandorProcess.ServeAsync(_dir.Path, config, port))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/components")).StatusCode);
            Assert.Equal(0, await candor.StopAsync());
        }

        var (revoked, revokeOutput) = await CandorProcess.RunAsync(_dir.Path, "token", "revoke", "--config", config, "--name", "ci-bot");
        Assert.True(revoked == 0, revokeOutput);
        await using (await CandorProcess.ServeAsync(_dir.Path, config, port))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/components")).StatusCode);
        }

        var (again, _) = await CandorProcess.RunAsync(_dir.Path, "token", "revoke", "--config", config, "--name", "ci-bot");
        Assert.Equal(1, again);
    }

    [Fact]
    public async Task A_role_that_does_not_exist_is_refused()
    {
        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "token", "create", "--role", "root", "--name", "x");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("root", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "data")));
    }

    [Fact]
    public async Task A_name_that_would_pass_for_a_console_user_in_the_audit_log_is_refused()
    {
        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "token", "create", "--role", "admin", "--name", "user:alice");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("may not begin with 'user:'", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "data")));
    }

    public void Dispose() => _dir.Dispose();
}
