using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.ConsoleTests;

/// <summary>
/// What people do in the console is in the audit log beside what API tokens do, under the name they signed in with;
/// what they type is not.
/// </summary>
public sealed class ConsoleAuditTests : IAsyncLifetime
{
    private const string Password = "a long enough password";
    private const string WrongGuess = "a wrong guess at it";
    private const string MisplacedPassword = "my-password-in-the-name-box";
    private const string Update = "A firewall change blocks the port.";
    private static readonly string[] Web = ["web"];

    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _candor = await CandorApp.StartAsync("""
            page: { name: Acme Status }
            components: [ { id: web, name: Website } ]

            """);
        await ConsoleClient.AddUserAsync(_candor, "rita", ApiRole.Responder, Password);
    }

    public async Task DisposeAsync() => await _candor.DisposeAsync();

    [Fact]
    public async Task Sign_ins_an_update_and_the_sign_out_are_recorded_under_the_user_without_what_was_typed()
    {
        var created = await _candor.Http.PostAsJsonAsync(
            "/api/v1/incidents", new { name = "Sign-in is slow", components = Web, status = "investigating", body = "Looking." });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var rita = new ConsoleClient(_candor);

        Assert.Equal(HttpStatusCode.Unauthorized, (await rita.SignInAsync("rita", WrongGuess)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rita.SignInAsync(MisplacedPassword, Password)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await rita.SignInAsync("Rita", Password)).Status);
        await rita.GetAsync($"/admin/incidents/{id}");
        var posted = await rita.PostAsync(
            $"/admin/incidents/{id}/updates", [new("status", "identified"), new("body", Update), new("action", "post")]);
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        await rita.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, (await rita.PostAsync("/admin/sign-out", [])).Status);

        var audit = await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        (string, string, string, int, string?)[] expected =
        [
            ("test-admin", "POST", "/api/v1/incidents/", 201, null),
            ("user:rita", "POST", "/admin/sign-in", 401, null),
            ("anonymous", "POST", "/admin/sign-in", 401, null),
            ("user:rita", "POST", "/admin/sign-in", 302, null),
            ("user:rita", "POST", "/admin/incidents/{id}/updates", 302, id),
            ("user:rita", "POST", "/admin/sign-out", 302, null),
        ];
        Assert.Equal(
            expected,
            audit.EnumerateArray().Reverse().Select(e => (
                e.GetProperty("actor").GetString()!,
                e.GetProperty("method").GetString()!,
                e.GetProperty("route").GetString()!,
                e.GetProperty("status_code").GetInt32(),
                e.GetProperty("incident_id").GetString())));
        foreach (var typed in new[] { Password, WrongGuess, MisplacedPassword, Update })
        {
            Assert.DoesNotContain(typed, audit.ToString(), StringComparison.Ordinal);
        }
    }
}
