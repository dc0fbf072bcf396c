using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Bench.Peers;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.ConsoleTests;

/// <summary>
/// The console's forms over HTTP, as named users: Vera the viewer, Rita the responder and Ada the admin. What each
/// may do, what every form requires, and that what people write is shown as text.
/// </summary>
public sealed class WarRoomHttpTests : IAsyncLifetime
{
    private const string Password = "a long enough password";
    private static readonly string[] Support = ["support"];
    private readonly int _closedPort = FreePort.Next();
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _candor = await CandorApp.StartAsync($$"""
            page: { name: Acme Status }
            components:
              - { id: api, name: API }
              - { id: support, name: Support desk }
            monitors:
              - { id: api-port, component: api, type: tcp, target: "127.0.0.1:{{_closedPort}}", interval: 1s, timeout: 500ms }
            incidents: { confirm_after: 2, verify_for: 60m }

            """);
        await ConsoleClient.AddUserAsync(_candor, "vera", ApiRole.Viewer, Password);
        await ConsoleClient.AddUserAsync(_candor, "rita", ApiRole.Responder, Password);
        await ConsoleClient.AddUserAsync(_candor, "ada", ApiRole.Admin, Password);
    }

    public async Task DisposeAsync() => await _candor.DisposeAsync();

    [Fact]
    public async Task Every_console_answer_carries_the_security_headers()
    {
        using var rita = await SignedInAsync("rita");

        foreach (var page in new[] { await rita.GetAsync("/admin"), await new ConsoleClient(_candor).GetAsync("/admin/sign-in") })
        {
            var csp = page.Headers["Content-Security-Policy"];
            Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", page.Headers["X-Content-Type-Options"]);
            Assert.Equal("no-referrer", page.Headers["Referrer-Policy"]);
        }
    }

    [Fact]
    public async Task A_form_without_its_anti_forgery_token_is_refused_and_changes_nothing()
    {
        var id = await ManualIncidentAsync();
        using var rita = await SignedInAsync("rita");
        await rita.GetAsync($"/admin/incidents/{id}");

        var forged = await rita.PostAsync($"/admin/incidents/{id}/updates",
            [new("status", "identified"), new("body", "Posted by another site"), new("action", "post")], withToken: false);
        var wrongToken = await rita.PostAsync($"/admin/incidents/{id}/updates",
            [new("status", "identified"), new("body", "Posted by another site"), new("action", "post"), new("__csrf", "made-up")], withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("anti-forgery token", forged.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongToken.Status);
        Assert.DoesNotContain("Posted by another site", (await rita.GetAsync($"/admin/incidents/{id}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_reads_the_war_room_but_may_not_post_an_update()
    {
        var id = await ManualIncidentAsync();
        using var vera = await SignedInAsync("vera");

        var room = await vera.GetAsync($"/admin/incidents/{id}");
        var posted = await vera.PostAsync($"/admin/incidents/{id}/updates",
            [new("status", "identified"), new("body", "A viewer's words"), new("action", "post")]);

        Assert.Equal(HttpStatusCode.OK, room.Status);
        Assert.DoesNotContain("Post update", room.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, posted.Status);
        Assert.Contains("Your role, viewer, may not do this.", posted.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("A viewer's words", (await vera.GetAsync($"/admin/incidents/{id}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scripts_in_an_update_are_shown_as_text_and_unsafe_links_lose_their_target()
    {
        var id = await ManualIncidentAsync();
        using var rita = await SignedInAsync("rita");
        await rita.GetAsync($"/admin/incidents/{id}");
        const string Body = """
            <script>alert('body')</script> [click me](javascript:alert('link')) <img src=x onerror="alert('img')">
            <javascript:alert('auto')> ![pic](javascript:alert('image')) [ok](https://example.com/status)
            """;

        var posted = await rita.PostAsync($"/admin/incidents/{id}/updates",
            [new("status", "identified"), new("body", Body), new("customer_action", "<b onmouseover=alert(1)>retry</b>"), new("action", "post")]);
        var room = (await rita.GetAsync(posted.Location!)).Html;

        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.Contains("&lt;script&gt;alert(", room, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=", room, StringComparison.Ordinal);
        Assert.Contains("&lt;b onmouseover=alert(1)&gt;retry&lt;/b&gt;", room, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", room, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=\"x\"", room, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?i)(href|src)=\"?javascript:", room);
        Assert.Contains("<a href=\"https://example.com/status\" rel=\"nofollow noopener noreferrer\">ok</a>", room, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preview_renders_the_markdown_and_posts_nothing()
    {
        var id = await ManualIncidentAsync();
        using var rita = await SignedInAsync("rita");
        await rita.GetAsync($"/admin/incidents/{id}");

        var preview = await rita.PostAsync($"/admin/incidents/{id}/updates",
            [new("status", "identified"), new("body", "The **database** is back."), new("action", "preview")]);

        Assert.Equal(HttpStatusCode.OK, preview.Status);
        Assert.Contains("<p>The <strong>database</strong> is back.</p>", preview.Html, StringComparison.Ordinal);
        Assert.Contains(">The **database** is back.</textarea>", preview.Html, StringComparison.Ordinal);
        var timeline = await _candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal(1, timeline.GetProperty("timeline").GetArrayLength());
    }

    [Fact]
    public async Task Resolving_an_unverified_incident_is_refused_with_the_reasons_and_an_override_needs_one()
    {
        using var rita = await SignedInAsync("rita");
        var id = await OpenedByCandorAsync();
        await rita.GetAsync($"/admin/incidents/{id}");

        var refused = await rita.PostAsync($"/admin/incidents/{id}/resolve", [new("reason", "")]);
        var noReason = await rita.PostAsync($"/admin/incidents/{id}/resolve", [new("override", "on"), new("reason", " ")]);
        var overridden = await rita.PostAsync($"/admin/incidents/{id}/resolve", [new("override", "on"), new("reason", "The port is retired.")]);
        var room = await rita.GetAsync(overridden.Location!);

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("Candor did not resolve this incident.", refused.Html, StringComparison.Ordinal);
        Assert.Contains("<li>not every affected monitor is passing yet, so verification has not started</li>", refused.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Contains("resolving without verification needs a written reason", noReason.Html, StringComparison.Ordinal);
        Assert.Contains("The incident is resolved.", room.Html, StringComparison.Ordinal);
        Assert.Contains("Reason: The port is retired.", room.Html, StringComparison.Ordinal);
        Assert.Contains("Resolved by rita before verification finished.", room.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_responder_assigns_the_incident_roles_and_sees_who_was_told()
    {
        using var rita = await SignedInAsync("rita");
        var id = await OpenedByCandorAsync();
        await rita.GetAsync($"/admin/incidents/{id}");

        await rita.PostAsync($"/admin/incidents/{id}/roles", [new("role", "incident_commander"), new("name", "Dana"), new("contact", "+1 555 0100")]);
        await rita.PostAsync($"/admin/incidents/{id}/roles", [new("role", "communications_lead"), new("name", "Sam")]);
        var impact = await rita.PostAsync($"/admin/incidents/{id}/impact", [new("impact", "minor")]);
        var room = WebUtility.HtmlDecode((await rita.GetAsync(impact.Location!)).Html);

        Assert.Contains("<dt>Incident commander</dt><dd>Dana (+1 555 0100)</dd>", room, StringComparison.Ordinal);
        Assert.Contains("<dt>Communications lead</dt><dd>Sam</dd>", room, StringComparison.Ordinal);
        Assert.Contains("<dt>Operations lead</dt><dd class=\"muted\">unassigned</dd>", room, StringComparison.Ordinal);
        Assert.Contains("minor (set by a person)", room, StringComparison.Ordinal);
        Assert.Contains("Who was told", room, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_responder_opens_an_incident_by_hand_and_lands_in_its_war_room()
    {
        using var rita = await SignedInAsync("rita");
        await rita.GetAsync("/admin/incidents/new");

        var missing = await rita.PostAsync("/admin/incidents", [new("name", "Slow tickets"), new("status", "identified"), new("body", "x")]);
        var created = await rita.PostAsync("/admin/incidents",
            [new("name", "Slow tickets"), new("components", "support"), new("status", "identified"), new("impact", "minor"), new("body", "Half the team is out.")]);
        var room = await rita.GetAsync(created.Location!);

        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("Choose at least one affected component.", missing.Html, StringComparison.Ordinal);
        Assert.Matches("^/admin/incidents/[a-z0-9]{12}\\?done=created$", created.Location);
        Assert.Contains("<h1>Slow tickets</h1>", room.Html, StringComparison.Ordinal);
        Assert.Contains("Support desk", room.Html, StringComparison.Ordinal);
        Assert.Contains("Half the team is out.", room.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_shows_the_failed_check_and_filters_by_component_and_state()
    {
        await OpenedByCandorAsync();
        using var vera = await SignedInAsync("vera");

        var all = (await vera.GetAsync("/admin")).Html;
        var up = (await vera.GetAsync("/admin?state=up")).Html;
        var support = (await vera.GetAsync("/admin?component=support")).Html;

        Assert.Contains("data-monitor=\"api-port\"", all, StringComparison.Ordinal);
        Assert.Contains("<code class=\"why\">", all, StringComparison.Ordinal);
        Assert.Contains("refused", all, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"spark\"", all, StringComparison.Ordinal);
        Assert.Contains("API: major outage", all, StringComparison.Ordinal);
        Assert.DoesNotContain("data-monitor=", up, StringComparison.Ordinal);
        Assert.Contains("No monitor matches this filter.", support, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_admin_manages_subscribers()
    {
        using var rita = await SignedInAsync("rita");
        using var ada = await SignedInAsync("ada");
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.GetAsync("/admin/subscribers")).Status);
        await ada.GetAsync("/admin/subscribers");

        var added = await ada.PostAsync("/admin/subscribers", [new("kind", "email"), new("address", "Alice@Example.com"), new("components", "api")]);
        var again = await ada.PostAsync("/admin/subscribers", [new("kind", "email"), new("address", "alice@example.com")]);
        var bad = await ada.PostAsync("/admin/subscribers", [new("kind", "webhook"), new("address", "javascript:alert(1)")]);
        var subscriber = Assert.Single(await _candor.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/subscribers") ?? []);
        var removed = await ada.PostAsync($"/admin/subscribers/{subscriber.GetProperty("id").GetString()}/remove", []);

        Assert.Contains("Added alice@example.com.", added.Html, StringComparison.Ordinal);
        Assert.True(subscriber.GetProperty("confirmed").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("/admin/subscribers?done=removed", removed.Location);
        Assert.Empty(await _candor.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/subscribers") ?? []);
    }

    private async Task<ConsoleClient> SignedInAsync(string name)
    {
        var client = new ConsoleClient(_candor);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, Password)).Status);
        return client;
    }

    private async Task<string> ManualIncidentAsync()
    {
        var created = await _candor.Http.PostAsJsonAsync("/api/v1/incidents",
            new { name = "Tickets answered slowly", components = Support, status = "investigating", body = "Looking." });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The incident Candor opens for the monitor of a closed port.</summary>
    private async Task<string> OpenedByCandorAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var open = await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=open");
            if (open.EnumerateArray().FirstOrDefault(i => i.GetProperty("automatic").GetBoolean()) is { ValueKind: JsonValueKind.Object } found)
            {
                return found.GetProperty("id").GetString()!;
            }

            Assert.True(DateTime.UtcNow < deadline, "Candor opened no incident");
            await Task.Delay(100);
        }
    }
}
