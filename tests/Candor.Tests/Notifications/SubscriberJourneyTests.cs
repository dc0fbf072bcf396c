using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Candor.Bench.Peers;
using Candor.Notifications;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Notifications;

/// <summary>
/// A whole incident as the people outside see it, against a real SMTP server and a real HTTP receiver: the
/// responders hear of the confirmed failure with its evidence; a subscriber who confirmed gets the opened, update,
/// monitoring and resolved messages with the window and the action to take; a subscriber of another component
/// gets nothing; one click unsubscribes.
/// </summary>
public sealed partial class SubscriberJourneyTests : IAsyncLifetime
{
    private const string Alice = "alice@example.com";
    private const string Bob = "bob@example.com";
    private const string Action = "Re-send any e-mail you sent us since the problem began.";
    private static readonly string[] Api = ["api"];
    private static readonly string[] Nope = ["nope"];

    private readonly int _apiPort = FreePort.Next();
    private TcpListener _api = null!;
    private MailSink _mail = null!;
    private WebhookReceiver _hooks = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _api = Listen();
        _mail = await MailSink.StartAsync();
        _hooks = await WebhookReceiver.StartAsync();
        _candor = await CandorApp.StartAsync($$"""
            page: { name: Acme Status, url: "https://status.acme.example", time_zone: America/New_York }
            components:
              - { id: api, name: API }
              - { id: support, name: Support desk }
            monitors:
              - { id: api-port, component: api, type: tcp, target: "127.0.0.1:{{_apiPort}}", interval: 1s, timeout: 500ms }
            incidents: { confirm_after: 2, verify_for: 3s }
            notifications:
              smtp: { host: 127.0.0.1, port: {{_mail.Port}}, from: status@acme.example, starttls: false }
              private_webhooks: true
              channels:
                - { id: ops, type: webhook, url: "{{_hooks.Url}}/ops", secret: ops-secret }
                - { id: oncall, type: email, to: oncall@acme.example }
              backoff: 200ms
              timeout: 5s

            """);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        await _hooks.DisposeAsync();
        await _mail.DisposeAsync();
        _api.Dispose();
    }

    [Fact]
    public async Task A_confirmed_subscriber_hears_the_incident_from_opening_to_resolution_and_can_leave_with_one_click()
    {
        await _candor.WaitForMonitorAsync("api-port", m => CandorApp.HasStatus(m, "up"));
        Assert.Equal(HttpStatusCode.Accepted, (await _candor.Anonymous.PostAsJsonAsync("/subscribe", new { email = Alice, components = Api })).StatusCode);
        var form = new FormUrlEncodedContent([new("email", Bob), new("components", "support")]);
        Assert.Equal(HttpStatusCode.Accepted, (await _candor.Anonymous.PostAsync("/subscribe", form)).StatusCode);
        foreach (var who in new[] { Alice, Bob })
        {
            var confirmation = await _mail.WaitForAsync(who, m => m.Subject.Contains("Confirm", StringComparison.Ordinal));
            var link = ConfirmLink().Match(confirmation.Text!);
            Assert.True(link.Success, confirmation.Text);
            Assert.Equal(HttpStatusCode.OK, (await _candor.Anonymous.GetAsync(link.Groups[1].Value)).StatusCode);
        }

        var hook = await _candor.Http.PostAsJsonAsync(
            "/api/v1/subscribers", new { webhook_url = _hooks.Url + "/subscriber", components = Api, secret = "s3cret" });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        var hookId = (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        _api.Stop();
        var opened = await _mail.WaitForAsync(Alice, m => m.Subject.Contains("Investigating", StringComparison.Ordinal));
        var incident = (await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=open"))[0];
        var id = incident.GetProperty("id").GetString()!;
        Assert.Equal("[Acme Status] Investigating: API: major outage", opened.Subject);
        Assert.Contains($"https://status.acme.example/incidents/{id}", opened.Text, StringComparison.Ordinal);
        Assert.Matches(@"Affected since \d{4}-\d\d-\d\d \d\d:\d\d America/New_York \(UTC-0[45]:00\)", opened.Text);
        Assert.Matches("^<[0-9a-f]{32}@acme.example>$", opened.MessageId);
        var unsubscribe = opened.Headers["List-Unsubscribe"].Trim('<', '>');
        Assert.StartsWith("https://status.acme.example/unsubscribe/", unsubscribe, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", opened.Headers["List-Unsubscribe-Post"]);
        Assert.Contains(unsubscribe, opened.Html, StringComparison.Ordinal);

        // The responders: the failing monitor, where it fails, and the first diagnostic line.
        var oncall = await _mail.WaitForAsync("oncall@acme.example", m => m.Subject.StartsWith("Confirmed failure", StringComparison.Ordinal));
        Assert.Contains("Failing: api-port at local", oncall.Text, StringComparison.Ordinal);
        Assert.Contains("First diagnostic: ", oncall.Text, StringComparison.Ordinal);
        var ops = await _hooks.WaitForAsync("/ops", "opened");
        AssertSigned(ops, "ops-secret");

        var update = await _candor.Http.PostAsJsonAsync(
            $"/api/v1/incidents/{id}/updates", new { status = "identified", body = "A firewall change blocks the port.", customer_action = Action });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var identified = await _mail.WaitForAsync(Alice, m => m.Subject.Contains("Identified", StringComparison.Ordinal));
        Assert.Contains("A firewall change blocks the port.", identified.Text, StringComparison.Ordinal);
        Assert.Contains("What you should do: " + Action, identified.Text, StringComparison.Ordinal);

        _api = Listen();
        var monitoring = await _mail.WaitForAsync(Alice, m => m.Subject.Contains("Monitoring", StringComparison.Ordinal));
        Assert.Contains("verifying", monitoring.Text, StringComparison.Ordinal);
        var resolved = await _mail.WaitForAsync(Alice, m => m.Subject.Contains("Resolved", StringComparison.Ordinal));
        var window = (await _candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("impact_window");
        var time = new PageTime(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var start = window.GetProperty("start").GetDateTimeOffset();
        var end = window.GetProperty("end").GetDateTimeOffset();
        Assert.Contains(
            $"Customers were affected from {time.Format(start)} to {time.Format(end)} ({PageTime.Duration(end - start)}).",
            resolved.Text,
            StringComparison.Ordinal);
        Assert.Contains("Affected: API", resolved.Text, StringComparison.Ordinal);
        Assert.Contains("What you should do: " + Action, resolved.Text, StringComparison.Ordinal);

        // Every message has its own Message-ID; Bob follows another component and got his confirmation only.
        Assert.Equal(5, _mail.To(Alice).Count);
        Assert.Equal(5, _mail.To(Alice).Select(m => m.MessageId).Distinct().Count());
        Assert.Single(_mail.To(Bob));

        var hooks = _hooks.To("/subscriber");
        Assert.Equal(["opened", "update", "monitoring", "resolved"], hooks.Select(r => r.Event));
        foreach (var request in hooks)
        {
            AssertSigned(request, "s3cret");
        }

        var deliveries = await _candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/subscribers/{hookId}/deliveries");
        Assert.Equal(4, deliveries.GetArrayLength());
        Assert.All(deliveries.EnumerateArray(), d => Assert.Equal("sent", d.GetProperty("state").GetString()));

        var oneClick = await _candor.Anonymous.PostAsync(
            new Uri(unsubscribe).PathAndQuery, new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        var left = await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/subscribers");
        Assert.DoesNotContain(left.EnumerateArray(), s => s.GetProperty("email").GetString() == Alice);
    }

    [Fact]
    public async Task Nothing_but_the_confirmation_reaches_an_address_that_has_not_confirmed()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _candor.Anonymous.PostAsJsonAsync("/subscribe", new { email = Alice })).StatusCode);
        await _mail.WaitForAsync(Alice, m => m.Subject.Contains("Confirm", StringComparison.Ordinal));

        _api.Stop();
        await _mail.WaitForAsync("oncall@acme.example", m => m.Subject.StartsWith("Confirmed failure", StringComparison.Ordinal));
        await _hooks.WaitForAsync("/ops", "opened");

        Assert.Single(_mail.To(Alice));
    }

    [Fact]
    public async Task The_subscribe_answer_is_the_same_for_a_new_and_a_known_address_and_bad_input_is_refused()
    {
        var first = await _candor.Anonymous.PostAsJsonAsync("/subscribe", new { email = Alice });
        var again = await _candor.Anonymous.PostAsJsonAsync("/subscribe", new { email = "ALICE@example.com" });

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        var subscribers = await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/subscribers");
        Assert.Equal(1, subscribers.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await _candor.Anonymous.PostAsJsonAsync("/subscribe", new { email = "not an address" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _candor.Anonymous.PostAsJsonAsync("/subscribe", new { email = Bob, components = Nope })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _candor.Anonymous.GetAsync("/subscribe/confirm/not-a-token")).StatusCode);
    }

    private TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, _apiPort);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return listener;
    }

    private static void AssertSigned(ReceivedRequest request, string secret)
    {
        var timestamp = request.Headers[WebhookSignature.TimestampHeader];
        Assert.Equal(request.SignatureWith(secret), request.Headers[WebhookSignature.SignatureHeader]);
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Matches("^[0-9a-f]{32}$", request.Headers[WebhookSignature.DeliveryHeader]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("API: major outage", body.RootElement.GetProperty("incident").GetProperty("name").GetString());
        Assert.True(body.RootElement.GetProperty("page").TryGetProperty("status_indicator", out _));
    }

    [GeneratedRegex(@"https://status\.acme\.example(/subscribe/confirm/\S+)")]
    private static partial Regex ConfirmLink();
}
