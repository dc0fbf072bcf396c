using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Notifications;

/// <summary>The feeds as real readers parse them: feedparser for Atom and RSS, icalendar for the calendar.</summary>
public sealed class FeedTests : IAsyncLifetime
{
    private const string ParseFeed = """
        import feedparser, json, sys
        feed = feedparser.parse(sys.stdin.buffer.read())
        print(json.dumps({
            'bozo': bool(feed.bozo), 'error': str(feed.get('bozo_exception', '')), 'version': feed.version,
            'title': feed.feed.get('title'),
            'entries': [{'title': e.title, 'link': e.link, 'summary': e.get('summary', '')} for e in feed.entries],
        }))
        """;

    private const string ParseCalendar = """
        import icalendar, json, sys
        calendar = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
        events = [{'summary': str(e['SUMMARY']), 'start': e['DTSTART'].dt.isoformat(), 'end': e['DTEND'].dt.isoformat(),
                   'description': str(e['DESCRIPTION'])} for e in calendar.walk('VEVENT')]
        print(json.dumps({'name': calendar.name, 'version': str(calendar['VERSION']), 'events': events}))
        """;

    private static readonly string[] Support = ["support"];

    private CandorApp _candor = null!;

    public async Task InitializeAsync() => _candor = await CandorApp.StartAsync("""
        page: { name: Acme Status, url: "https://status.acme.example" }
        components: [ { id: support, name: Support desk } ]

        """);

    public async Task DisposeAsync() => await _candor.DisposeAsync();

    [Theory]
    [InlineData("/feed.atom", "atom10")]
    [InlineData("/feed.rss", "rss20")]
    public async Task The_feeds_list_incidents_newest_first_and_parse_cleanly(string path, string version)
    {
        var first = await OpenAsync("Tickets answered slowly");
        Assert.Equal(HttpStatusCode.OK, (await _candor.Http.PostAsync($"/api/v1/incidents/{first}/resolve", null)).StatusCode);
        var second = await OpenAsync("Chat is down & <slow>");

        var feed = await WaitForFeedAsync(path, entries: 2);

        Assert.False(feed.GetProperty("bozo").GetBoolean(), feed.GetProperty("error").GetString());
        Assert.Equal(version, feed.GetProperty("version").GetString());
        Assert.Equal("Acme Status: incidents and maintenance", feed.GetProperty("title").GetString());
        var entries = feed.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal("Chat is down & <slow> (investigating)", entries[0].GetProperty("title").GetString());
        Assert.Equal($"https://status.acme.example/incidents/{second}", entries[0].GetProperty("link").GetString());
        Assert.Equal("Tickets answered slowly (resolved)", entries[1].GetProperty("title").GetString());
        Assert.Contains("Half the team is out.", entries[1].GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_maintenance_calendar_has_an_event_per_window_and_the_feeds_list_them()
    {
        var empty = await _candor.Anonymous.GetAsync("/maintenance.ics");
        Assert.Equal("text/calendar", empty.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await PythonAsync(ParseCalendar, await empty.Content.ReadAsByteArrayAsync())).GetProperty("events").GetArrayLength());

        var created = await _candor.Http.PostAsJsonAsync("/api/v1/maintenance", new
        {
            title = "Database upgrade, part 2; with a long title that needs folding in the calendar file",
            body = "Writes pause for a minute.",
            components = Support,
            starts = "2030-03-01T02:00:00Z",
            duration = "90m",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement calendar;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the calendar did not show the window");
            await Task.Delay(100);
            calendar = await PythonAsync(ParseCalendar, await _candor.Anonymous.GetByteArrayAsync("/maintenance.ics"));
        }
        while (calendar.GetProperty("events").GetArrayLength() == 0);

        Assert.Equal("VCALENDAR", calendar.GetProperty("name").GetString());
        Assert.Equal("2.0", calendar.GetProperty("version").GetString());
        var window = calendar.GetProperty("events")[0];
        Assert.Equal("Maintenance: Database upgrade, part 2; with a long title that needs folding in the calendar file", window.GetProperty("summary").GetString());
        Assert.Equal("2030-03-01T02:00:00+00:00", window.GetProperty("start").GetString());
        Assert.Equal("2030-03-01T03:30:00+00:00", window.GetProperty("end").GetString());
        Assert.Contains("Affected: Support desk", window.GetProperty("description").GetString(), StringComparison.Ordinal);

        var feed = await PythonAsync(ParseFeed, await _candor.Anonymous.GetByteArrayAsync("/feed.atom"));
        Assert.False(feed.GetProperty("bozo").GetBoolean(), feed.GetProperty("error").GetString());
        Assert.Contains(feed.GetProperty("entries").EnumerateArray(), e =>
            e.GetProperty("title").GetString() == "Maintenance: Database upgrade, part 2; with a long title that needs folding in the calendar file (scheduled)");
    }

    private async Task<string> OpenAsync(string name)
    {
        var response = await _candor.Http.PostAsJsonAsync("/api/v1/incidents", new { name, components = Support, body = "Half the team is out." });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The public snapshot is rebuilt just after a change: the feed catches up within moments.</summary>
    private async Task<JsonElement> WaitForFeedAsync(string path, int entries)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var feed = await PythonAsync(ParseFeed, await _candor.Anonymous.GetByteArrayAsync(path));
            if (feed.GetProperty("entries").GetArrayLength() == entries
                && feed.GetProperty("entries")[1].GetProperty("title").GetString()!.EndsWith("(resolved)", StringComparison.Ordinal))
            {
                return feed;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the feed did not show both incidents: {feed}");
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> PythonAsync(string script, byte[] input)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var python = Process.Start(info)!;
        await python.StandardInput.BaseStream.WriteAsync(input);
        python.StandardInput.Close();
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, await errors);
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
