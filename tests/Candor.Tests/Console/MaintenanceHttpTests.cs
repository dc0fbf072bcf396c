using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Candor.AdminConsole;
using Candor.Maintenance;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.ConsoleTests;

/// <summary>
/// Maintenance in the console over HTTP, as Vera the viewer and Rita the responder: scheduling a window after the
/// form said what was wrong, starting, extending and completing one, cancelling another, what a window's state
/// refuses, and a window from the config that ends badly and links to the incident it opened. The API port is
/// closed all along; the config's window over it has been running since a minute before the server started.
/// </summary>
public sealed class MaintenanceHttpTests : IAsyncLifetime, IDisposable
{
    private const string Password = "a long enough password";
    private const string Cron = "0 2 * * SUN";
    private static readonly string[] StorageOnly = ["storage"];

    /// <summary>A window's page while it is in progress.</summary>
    private const string RunningState = "id=\"window-state\">in progress<";

    private readonly ClosedPort _closed = new();
    private CandorApp _candor = null!;
    private WebhookReceiver _hooks = null!;

    public async Task InitializeAsync()
    {
        var begun = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        _hooks = await WebhookReceiver.StartAsync();
        _candor = await CandorApp.StartAsync($$"""
            page: { name: Acme Status }
            components:
              - { id: api, name: API }
              - { id: storage, name: Storage }
              - { id: web, name: Website }
            monitors:
              - { id: api-port, component: api, type: tcp, target: "127.0.0.1:{{_closed.Port}}", interval: 1s, timeout: 500ms }
            incidents: { confirm_after: 2, verify_for: 60m }
            notifications: { private_webhooks: true }
            maintenance:
              - { id: db-work, title: Database work, components: [api], starts: {{begun}}, duration: 1h, grace: 1s }
              - { id: patching, title: Weekly patching, components: [web], cron: "{{Cron}}", time_zone: America/New_York, duration: 1h }

            """);
        await ConsoleClient.AddUserAsync(_candor, "vera", ApiRole.Viewer, Password);
        await ConsoleClient.AddUserAsync(_candor, "rita", ApiRole.Responder, Password);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        await _hooks.DisposeAsync();
    }

    /// <summary>After the server has stopped watching the port.</summary>
    public void Dispose() => _closed.Dispose();

    [Fact]
    public async Task A_responder_schedules_a_window_after_the_form_says_what_was_wrong()
    {
        using var rita = await SignedInAsync("rita");
        var form = await rita.GetAsync("/admin/maintenance/new");

        var badDuration = await rita.PostAsync("/admin/maintenance", Window("Mail relay swap", "storage", "2030-07-01T09:00", "Europe/Berlin", "two hours"));
        var skippedHour = await rita.PostAsync("/admin/maintenance", Window("Mail relay swap", "storage", "2030-03-31T02:30", "Europe/Berlin", "90m"));
        var created = await rita.PostAsync("/admin/maintenance", Window(
            "Mail relay swap", "storage", "2030-07-01T09:00", "Europe/Berlin", "90m", verifyFor: "15m",
            body: "Mail is **queued**, not lost. <script>alert('body')</script>"));

        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("<option value=\"UTC\" selected>UTC</option>", form.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badDuration.Status);
        Assert.Contains("'two hours' is not a duration: use 30s, 5m, 2h, 14d.", WebUtility.HtmlDecode(badDuration.Html), StringComparison.Ordinal);
        Assert.Contains("<input name=\"title\" required value=\"Mail relay swap\">", badDuration.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"storage\" checked>", badDuration.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"2030-07-01T09:00\"", badDuration.Html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Europe/Berlin\" selected>", badDuration.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"two hours\"", badDuration.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, skippedHour.Status);
        Assert.Contains("2030-03-31 02:30 does not exist in Europe/Berlin: the clocks skip it that day.", skippedHour.Html, StringComparison.Ordinal);

        Assert.Matches("^/admin/maintenance/[a-z0-9]{12}\\?done=created$", created.Location);
        var page = await rita.GetAsync(created.Location!);
        var text = WebUtility.HtmlDecode(page.Html);
        Assert.Contains("The window is scheduled, and the subscribers of its components are told.", text, StringComparison.Ordinal);
        Assert.Contains("<h1>Mail relay swap</h1>", text, StringComparison.Ordinal);
        Assert.Contains("id=\"window-state\">scheduled<", text, StringComparison.Ordinal);
        Assert.Contains("2030-07-01 07:00:00 to 2030-07-01 08:30:00", text, StringComparison.Ordinal);
        Assert.Contains("2030-07-01 09:00 Europe/Berlin (UTC+02:00) to 2030-07-01 10:30 Europe/Berlin (UTC+02:00)", text, StringComparison.Ordinal);
        Assert.Contains("15m healthy at every location", text, StringComparison.Ordinal);
        Assert.Contains("scheduled by rita", text, StringComparison.Ordinal);
        Assert.Contains("Mail is <strong>queued</strong>, not lost.", page.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page.Html, StringComparison.Ordinal);

        // Scheduled through the same path as the API's: the API reads back what the form asked for.
        var window = await ApiWindowAsync(IdOf(created));
        Assert.Equal(new DateTimeOffset(2030, 7, 1, 7, 0, 0, TimeSpan.Zero), window.GetProperty("scheduled_for").GetDateTimeOffset());
        Assert.Equal("Europe/Berlin", window.GetProperty("time_zone").GetString());
        Assert.Equal("15m", window.GetProperty("verify_for").GetString());
    }

    [Fact]
    public async Task A_responder_starts_extends_and_completes_a_window_and_its_subscribers_hear_of_the_extension()
    {
        var subscribed = await _candor.Http.PostAsJsonAsync("/api/v1/subscribers", new { webhook_url = _hooks.Url + "/storage", components = StorageOnly });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        using var rita = await SignedInAsync("rita");
        await rita.GetAsync("/admin/maintenance/new");
        var id = IdOf(await rita.PostAsync("/admin/maintenance", Window("Storage firmware", "storage", Tomorrow(), "UTC", "1h", verifyFor: "1s")));

        var started = await rita.PostAsync($"/admin/maintenance/{id}/start", []);
        var running = await rita.GetAsync(started.Location!);
        var end = (await ApiWindowAsync(id)).GetProperty("scheduled_until").GetDateTimeOffset();
        var extended = await rita.PostAsync($"/admin/maintenance/{id}/extend", [new("by", "30m")]);
        var longer = await rita.GetAsync(extended.Location!);
        var completed = await rita.PostAsync($"/admin/maintenance/{id}/complete", []);
        var verifying = await rita.GetAsync(completed.Location!);

        Assert.Equal($"/admin/maintenance/{id}?done=started", started.Location);
        Assert.Contains("The maintenance has started: its components show as under maintenance.", running.Html, StringComparison.Ordinal);
        Assert.Contains(RunningState, running.Html, StringComparison.Ordinal);
        Assert.Contains("Complete now", running.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Start now", running.Html, StringComparison.Ordinal);

        Assert.Equal($"/admin/maintenance/{id}?done=extended", extended.Location);
        var newEnd = end.AddMinutes(30);
        Assert.Equal(newEnd, (await ApiWindowAsync(id)).GetProperty("scheduled_until").GetDateTimeOffset());
        Assert.Contains($"The window is extended until {newEnd.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.", longer.Html, StringComparison.Ordinal);
        await WaitForHookAsync("/storage", "\"event\":\"maintenance.extended\"");

        Assert.Equal($"/admin/maintenance/{id}?done=completed", completed.Location);
        Assert.Contains("The work is marked done", verifying.Html, StringComparison.Ordinal);
        var done = await WaitForAsync(rita, $"/admin/maintenance/{id}", "id=\"window-state\">completed<");
        Assert.DoesNotContain("Act on this window", done, StringComparison.Ordinal);
        Assert.Equal(
            ["scheduled", "started", "extended", "verifying", "completed"],
            (await ApiWindowAsync(id)).GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Contains("class=\"event event-extended\"", done, StringComparison.Ordinal);
        Assert.Contains($"data-window=\"{id}\"", (await rita.GetAsync("/admin/maintenance")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_window_needs_a_confirmation_and_then_it_is_over()
    {
        using var rita = await SignedInAsync("rita");
        await rita.GetAsync("/admin/maintenance/new");
        var id = IdOf(await rita.PostAsync("/admin/maintenance", Window("Network work", "web", Tomorrow(), "UTC", "2h")));
        var scheduled = await rita.GetAsync($"/admin/maintenance/{id}");

        var unconfirmed = await rita.PostAsync($"/admin/maintenance/{id}/cancel", []);
        var cancelled = await rita.PostAsync($"/admin/maintenance/{id}/cancel", [new("confirm", "on")]);
        var page = await rita.GetAsync(cancelled.Location!);
        var list = await rita.GetAsync("/admin/maintenance");

        Assert.Contains("Yes, cancel this maintenance and tell its subscribers", scheduled.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.Status);
        Assert.Contains("Not cancelled: tick the box to confirm", unconfirmed.Html, StringComparison.Ordinal);
        Assert.Contains("id=\"window-state\">scheduled<", unconfirmed.Html, StringComparison.Ordinal);
        Assert.Equal($"/admin/maintenance/{id}?done=cancelled", cancelled.Location);
        Assert.Contains("The window is cancelled, and its subscribers are told.", page.Html, StringComparison.Ordinal);
        Assert.Contains("id=\"window-state\">cancelled<", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Act on this window", page.Html, StringComparison.Ordinal);
        var recent = list.Html[list.Html.IndexOf("id=\"recent\"", StringComparison.Ordinal)..];
        Assert.Contains($"data-window=\"{id}\"", recent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_the_window_does_not_allow_is_refused_with_the_reason()
    {
        using var rita = await SignedInAsync("rita");
        await WaitForAsync(rita, "/admin/maintenance/db-work", RunningState);
        var id = IdOf(await rita.PostAsync("/admin/maintenance", Window("Certificate rotation", "web", Tomorrow(), "UTC", "1h")));
        await rita.PostAsync($"/admin/maintenance/{id}/cancel", [new("confirm", "on")]);

        var startCancelled = await rita.PostAsync($"/admin/maintenance/{id}/start", []);
        var cancelRunning = await rita.PostAsync("/admin/maintenance/db-work/cancel", [new("confirm", "on")]);
        var startRunning = await rita.PostAsync("/admin/maintenance/db-work/start", []);
        var unknown = await rita.PostAsync("/admin/maintenance/no-such-window/complete", []);

        Assert.Equal(HttpStatusCode.Conflict, startCancelled.Status);
        Assert.Contains("Not started: this window is cancelled already, and a window that is over does not change.", startCancelled.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, cancelRunning.Status);
        Assert.Contains("Not cancelled: only a window that has not started can be cancelled; complete a running one.", cancelRunning.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, startRunning.Status);
        Assert.Contains("Not started: the window is in progress, not scheduled.", startRunning.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("in_progress", (await ApiWindowAsync("db-work")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_viewer_reads_maintenance_but_may_not_schedule_or_act()
    {
        using var vera = await SignedInAsync("vera");
        await WaitForAsync(vera, "/admin/maintenance/db-work", RunningState);

        var list = await vera.GetAsync("/admin/maintenance");
        var window = await vera.GetAsync("/admin/maintenance/db-work");
        var form = await vera.GetAsync("/admin/maintenance/new");
        var scheduled = await vera.PostAsync("/admin/maintenance", Window("A viewer's window", "web", Tomorrow(), "UTC", "1h"));
        var completed = await vera.PostAsync("/admin/maintenance/db-work/complete", []);

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains("<a href=\"/admin/maintenance\">Maintenance</a>", list.Html, StringComparison.Ordinal);
        Assert.Contains("Database work", list.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Schedule maintenance", list.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, window.Status);
        Assert.Contains("need the responder role", window.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form class=\"stack\" method=\"post\"", window.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, form.Status);
        Assert.Equal(HttpStatusCode.Forbidden, scheduled.Status);
        Assert.Contains("Your role, viewer, may not do this.", scheduled.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, completed.Status);
        Assert.Equal("in_progress", (await ApiWindowAsync("db-work")).GetProperty("state").GetString());
        Assert.DoesNotContain(
            await _candor.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/maintenance") ?? [], w => w.GetProperty("title").GetString() == "A viewer's window");
    }

    [Fact]
    public async Task The_list_shows_a_recurring_window_with_its_cron_its_zone_and_its_next_occurrence()
    {
        using var vera = await SignedInAsync("vera");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        // The guard puts the week's occurrences on the schedule at its first decision, a moment after the start.
        var list = await WaitForAsync(vera, "/admin/maintenance", "href=\"/admin/maintenance/patching-");
        var next = CronSchedule.Parse(Cron).Next(DateTimeOffset.UtcNow, zone);

        var recurring = list[list.IndexOf("data-recurring=\"patching\"", StringComparison.Ordinal)..];
        Assert.Contains($"<code>{Cron}</code> in America/New_York, for 1h", recurring, StringComparison.Ordinal);
        Assert.Contains(ConsolePages.Time(next), recurring, StringComparison.Ordinal);
        Assert.Matches("^data-recurring=\"patching\">.*<a href=\"/admin/maintenance/patching-\\d{8}T\\d{4}\">", recurring);
        var upcoming = list[list.IndexOf("id=\"upcoming\"", StringComparison.Ordinal)..list.IndexOf("id=\"recurring\"", StringComparison.Ordinal)];
        Assert.Contains($"recurring: <code>{Cron}</code> in America/New_York", upcoming, StringComparison.Ordinal);
        Assert.Matches(@"02:00 America/New_York \(UTC-0[45]:00\) to \d{4}-\d\d-\d\d 03:00 America/New_York", upcoming);
    }

    [Fact]
    public async Task A_config_window_under_way_shows_on_the_dashboard_and_when_it_fails_links_to_its_incident()
    {
        using var rita = await SignedInAsync("rita");

        var dashboard = await WaitForAsync(rita, "/admin", "Maintenance under way");
        var completed = await rita.PostAsync("/admin/maintenance/db-work/complete", []);
        var failed = await WaitForAsync(rita, "/admin/maintenance/db-work", "id=\"window-state\">failed<");
        var incident = (await ApiWindowAsync("db-work")).GetProperty("incident_id").GetString();
        var list = (await rita.GetAsync("/admin/maintenance")).Html;
        var warRoom = (await rita.GetAsync($"/admin/incidents/{incident}")).Html;

        Assert.Contains("<li><a href=\"/admin/maintenance/db-work\">Database work</a>", dashboard, StringComparison.Ordinal);
        Assert.Contains("failures of these components open no incident", dashboard, StringComparison.Ordinal);
        Assert.Contains("<a class=\"tag\" href=\"/admin/maintenance/db-work\">maintenance: Database work</a>", dashboard, StringComparison.Ordinal);
        Assert.Contains("No open incident.", dashboard, StringComparison.Ordinal);

        Assert.Equal("/admin/maintenance/db-work?done=completed", completed.Location);
        Assert.NotNull(incident);
        Assert.Contains($"<a href=\"/admin/incidents/{incident}\">the incident it opened</a>", failed, StringComparison.Ordinal);
        Assert.Contains("<dt>From</dt><dd>the config's window 'db-work'</dd>", WebUtility.HtmlDecode(failed), StringComparison.Ordinal);
        Assert.Contains("<span class=\"tag\">internal</span>", failed, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/admin/incidents/{incident}\">the incident it opened</a>", list, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/admin/maintenance/db-work\">maintenance db-work</a>", warRoom, StringComparison.Ordinal);
        Assert.DoesNotContain("<li><a href=\"/admin/maintenance/db-work\">", (await rita.GetAsync("/admin")).Html, StringComparison.Ordinal);
    }

    private static KeyValuePair<string, string>[] Window(
        string title, string component, string starts, string zone, string duration, string verifyFor = "", string body = "") =>
        [
            new("title", title), new("body", body), new("components", component), new("starts", starts), new("time_zone", zone),
            new("duration", duration), new("grace", ""), new("verify_for", verifyFor),
        ];

    /// <summary>A start a day ahead, as a datetime-local field sends it.</summary>
    private static string Tomorrow() => DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static string IdOf(ConsoleClient.Page created)
    {
        Assert.True(created.Location is not null, $"the window was not scheduled: {created.Status}\n{created.Html}");
        return created.Location.Split('?')[0].Split('/')[^1];
    }

    private async Task<ConsoleClient> SignedInAsync(string name)
    {
        var client = new ConsoleClient(_candor);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, Password)).Status);
        return client;
    }

    private async Task<JsonElement> ApiWindowAsync(string id) =>
        await _candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/maintenance/{id}");

    /// <summary>Fetches the console page until it shows the text: Candor moves windows on in the background.</summary>
    private static async Task<string> WaitForAsync(ConsoleClient client, string path, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var page = (await client.GetAsync(path)).Html;
            if (page.Contains(text, StringComparison.Ordinal))
            {
                return page;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for '{text}' on {path}; the page ended:\n{page[^Math.Min(page.Length, 3000)..]}");
            await Task.Delay(100);
        }
    }

    private async Task WaitForHookAsync(string path, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_hooks.To(path).Any(r => Encoding.UTF8.GetString(r.Body).Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no webhook to {path} said {text}");
            await Task.Delay(100);
        }
    }
}
