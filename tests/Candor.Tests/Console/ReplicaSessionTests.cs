using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.ConsoleTests;

/// <summary>
/// Two replicas of one Candor on one database, as behind a load balancer that does not keep a person on one of
/// them: the session and the forms one replica hands out are good on the other. A server on another database,
/// holding the same user, honours neither: all three run on one machine, so only the database makes the difference.
/// </summary>
public sealed class ReplicaSessionTests : IAsyncLifetime
{
    private const string Config = """
        page: { name: Acme Status }
        components: [ { id: web, name: Website } ]

        """;

    private const string Password = "correct horse battery";

    private CandorApp _first = null!;
    private CandorApp _replica = null!;
    private CandorApp _elsewhere = null!;

    public async Task InitializeAsync()
    {
        _first = await CandorApp.StartAsync(Config);
        _replica = await CandorApp.StartAsync(Config, _first.Storage);
        _elsewhere = await CandorApp.StartAsync(Config);
        await ConsoleClient.AddUserAsync(_first, "ada", ApiRole.Admin, Password);
        await ConsoleClient.AddUserAsync(_elsewhere, "ada", ApiRole.Admin, Password);
    }

    public async Task DisposeAsync()
    {
        await _elsewhere.DisposeAsync();
        await _replica.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task A_session_and_a_form_from_one_replica_are_good_on_the_other()
    {
        using var ada = new ConsoleClient(_first);
        Assert.Equal(HttpStatusCode.Redirect, (await ada.SignInAsync("ada", Password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("/admin/subscribers")).Status);

        // The cookies are the first replica's, and so is the form's token: nothing has been asked of the other yet.
        var added = await ada.PostAsync(On(_replica, "/admin/subscribers"), [new("kind", "email"), new("address", "alice@example.com")]);
        var dashboard = await ada.GetAsync(On(_replica, "/admin"));

        Assert.Equal(HttpStatusCode.OK, added.Status);
        Assert.Contains("Added alice@example.com.", added.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains("Signed in as <strong>ada</strong> (admin)", dashboard.Html, StringComparison.Ordinal);
        var subscriber = Assert.Single(await _first.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/subscribers") ?? []);
        Assert.Equal("alice@example.com", subscriber.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_server_on_another_database_does_not_read_the_session()
    {
        using var ada = new ConsoleClient(_first);
        Assert.Equal(HttpStatusCode.Redirect, (await ada.SignInAsync("ada", Password)).Status);
        await ada.GetAsync("/admin/subscribers");

        var dashboard = await ada.GetAsync(On(_elsewhere, "/admin"));
        var added = await ada.PostAsync(On(_elsewhere, "/admin/subscribers"), [new("kind", "email"), new("address", "alice@example.com")]);

        Assert.Equal(HttpStatusCode.Redirect, dashboard.Status);
        Assert.Equal("/admin/sign-in", new Uri(dashboard.Location!).AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        Assert.Equal("/admin/sign-in", new Uri(added.Location!).AbsolutePath);
        Assert.Empty(await _elsewhere.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/subscribers") ?? []);
    }

    /// <summary>An absolute address on another server: the client's cookie jar goes with it, as a browser's would.</summary>
    private static string On(CandorApp server, string path) => new Uri(server.BaseAddress, path).AbsoluteUri;
}
