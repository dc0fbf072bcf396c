using System.Text;
using System.Text.Json;
using Candor.Configuration;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.StatusPage.Api;

namespace Candor.Notifications;

/// <summary>One incident event, worded for people: what it is called, its headline, and where to follow it.</summary>
/// <param name="Kind">opened, update, monitoring, regressed or resolved.</param>
public sealed record IncidentNotice(
    Incident Incident, IncidentEvent Event, string Kind, string Headline, string Subject, string IncidentUrl, IReadOnlyList<string> Components)
{
    public string? CustomerAction => Event.CustomerAction ?? Incident.CustomerAction;

    /// <summary>First confirmed failure to last failure, or the incident's own times when it has no evidence.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Window =>
        (Incident.ImpactStart ?? Incident.StartedAt, Incident.ImpactEnd ?? Incident.ResolvedAt ?? Event.At);
}

/// <summary>A message for the responders' channels: a title, a few lines of text, the link, and the JSON form.</summary>
public sealed record ResponderMessage(string Title, string Text, string Url, string DeliveryId, byte[] Json);

/// <summary>The e-mail about one incident event for every subscriber, rendered once; see <see cref="MessageComposer.SubscriberMail"/>.</summary>
public sealed class IncidentMail(MessageComposer composer, string subject, string text, string html, string tokenMark)
{
    public OutgoingMail For(Subscriber subscriber, string deliveryId) => new(
        subscriber.Address,
        subject,
        text.Replace(tokenMark, subscriber.Token, StringComparison.Ordinal),
        html.Replace(tokenMark, subscriber.Token, StringComparison.Ordinal),
        deliveryId,
        MessageComposer.ListHeaders(composer.UnsubscribeUrl(subscriber)));
}

/// <summary>Turns incident events and subscriptions into the messages that go out.</summary>
public sealed class MessageComposer(CandorConfig config, Uri baseUrl, MessageTemplates templates)
{
    private readonly string _base = baseUrl.AbsoluteUri.TrimEnd('/');
    private readonly PageTime _time = new(TimeZoneInfo.FindSystemTimeZoneById(config.Page.TimeZone));
    private readonly Dictionary<string, string> _componentNames = config.Components.ToDictionary(c => c.Id, c => c.Name);

    /// <summary>
    /// Stands for a subscriber's token in a mail rendered for all of them. Letters and digits only, which no
    /// template escaping changes, and new each run, so no incident text can contain it.
    /// </summary>
    private readonly string _tokenMark = "candor" + Guid.NewGuid().ToString("N");

    /// <summary>Stands for the delivery id in a webhook body rendered for every subscriber, as the token mark does.</summary>
    private readonly string _deliveryMark = "candor" + Guid.NewGuid().ToString("N");

    public string BaseUrl => _base;

    public PageTime Time => _time;

    public string UnsubscribeUrl(Subscriber subscriber) => UnsubscribeUrl(subscriber.Token);

    public string ConfirmUrl(string confirmToken) => $"{_base}/subscribe/confirm/{confirmToken}";

    public IncidentNotice Notice(Incident incident, IncidentEvent incidentEvent)
    {
        var kind = incidentEvent.Kind switch
        {
            IncidentEventKind.Opened => "opened",
            IncidentEventKind.Regressed => "regressed",
            IncidentEventKind.Resolved => "resolved",
            IncidentEventKind.Transition when incidentEvent.Status == IncidentStatus.Monitoring => "monitoring",
            _ => "update",
        };
        var headline = kind switch
        {
            "regressed" => "The problem has returned",
            "resolved" => "Resolved",
            _ => StatusWords(incidentEvent.Status),
        };
        return new IncidentNotice(
            incident,
            incidentEvent,
            kind,
            headline,
            $"[{config.Page.Name}] {headline}: {incident.Name}",
            $"{_base}/incidents/{Uri.EscapeDataString(incident.Id)}",
            [.. incident.ComponentIds.Select(id => _componentNames.GetValueOrDefault(id, id))]);
    }

    /// <summary>
    /// The subscribers' e-mail about one event, rendered once for all of them: the copies differ only in the
    /// unsubscribe link, whose token is put in afterwards.
    /// </summary>
    public IncidentMail SubscriberMail(IncidentNotice notice)
    {
        var (start, end) = notice.Window;
        var model = new Dictionary<string, object?>
        {
            ["page"] = Page(),
            ["incident"] = new Dictionary<string, object?>
            {
                ["id"] = notice.Incident.Id,
                ["name"] = notice.Incident.Name,
                ["url"] = notice.IncidentUrl,
                ["status"] = StatusWords(notice.Incident.Status),
                ["components"] = notice.Components,
            },
            ["event"] = new Dictionary<string, object?>
            {
                ["kind"] = notice.Kind,
                ["headline"] = notice.Headline,
                ["body"] = notice.Event.Body,
                ["at"] = _time.Format(notice.Event.At),
            },
            ["window"] = notice.Kind == "resolved"
                ? new Dictionary<string, object?>
                {
                    ["start"] = _time.Format(start),
                    ["end"] = _time.Format(end),
                    ["duration"] = PageTime.Duration(end - start),
                }
                : null,
            ["since"] = notice.Kind == "resolved" ? null : _time.Format(start),
            ["customer_action"] = notice.CustomerAction,
            ["unsubscribe_url"] = UnsubscribeUrl(_tokenMark),
        };
        return new IncidentMail(
            this, notice.Subject, templates.Render("incident.txt", model), templates.Render("incident.html", model), _tokenMark);
    }

    /// <summary>What subscribers of a window's components hear: announced, reminded, started, done, or not.</summary>
    public OutgoingMail MaintenanceMail(MaintenanceWindow window, MaintenanceEvent maintenanceEvent, Subscriber subscriber, string deliveryId)
    {
        var headline = MaintenanceHeadline(maintenanceEvent.Kind);
        var unsubscribe = UnsubscribeUrl(subscriber);
        var model = new Dictionary<string, object?>
        {
            ["page"] = Page(),
            ["maintenance"] = new Dictionary<string, object?>
            {
                ["title"] = window.Title,
                ["starts"] = _time.Format(window.ScheduledFor),
                ["ends"] = _time.Format(window.ScheduledUntil),
                ["components"] = window.ComponentIds.Select(id => _componentNames.GetValueOrDefault(id, id)).ToList(),
            },
            ["event"] = new Dictionary<string, object?>
            {
                ["headline"] = headline,
                ["body"] = maintenanceEvent.Body,
                ["at"] = _time.Format(maintenanceEvent.At),
            },
            ["unsubscribe_url"] = unsubscribe,
        };
        return new OutgoingMail(
            subscriber.Address,
            $"[{config.Page.Name}] {headline}: {window.Title}",
            templates.Render("maintenance.txt", model),
            templates.Render("maintenance.html", model),
            deliveryId,
            ListHeaders(unsubscribe));
    }

    /// <summary>The JSON a webhook subscriber receives for a maintenance event.</summary>
    public byte[] MaintenanceWebhook(MaintenanceWindow window, MaintenanceEvent maintenanceEvent, string deliveryId, string? unsubscribe) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["delivery_id"] = deliveryId,
            ["event"] = "maintenance." + maintenanceEvent.Kind.ToString().ToLowerInvariant(),
            ["scheduled_maintenance"] = new Dictionary<string, object?>
            {
                ["id"] = window.Id,
                ["name"] = window.Title,
                ["status"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(window.State.ToString()),
                ["scheduled_for"] = window.ScheduledFor,
                ["scheduled_until"] = window.ScheduledUntil,
                ["components"] = window.ComponentIds,
                ["body"] = maintenanceEvent.Body,
            },
            ["unsubscribe_url"] = unsubscribe,
        });

    /// <summary>What a responders' channel reads of a maintenance event (a failure inside the window).</summary>
    public ResponderMessage MaintenanceResponder(MaintenanceWindow window, MaintenanceEvent maintenanceEvent, string deliveryId, byte[] json) =>
        new(
            $"{MaintenanceHeadline(maintenanceEvent.Kind)}: {window.Title}",
            $"{maintenanceEvent.Body}\nAt {_time.Format(maintenanceEvent.At)}",
            _base + "/",
            deliveryId,
            json);

    private static string MaintenanceHeadline(MaintenanceEventKind kind) => kind switch
    {
        MaintenanceEventKind.FailureInWindow => "Failure during maintenance",
        MaintenanceEventKind.Scheduled => "Scheduled maintenance",
        MaintenanceEventKind.Reminder => "Maintenance reminder",
        MaintenanceEventKind.Started => "Maintenance started",
        MaintenanceEventKind.Extended => "Maintenance extended",
        MaintenanceEventKind.Completed => "Maintenance completed",
        MaintenanceEventKind.Failed => "Maintenance failed",
        MaintenanceEventKind.Cancelled => "Maintenance cancelled",
        _ => "Maintenance",
    };

    /// <summary>The double opt-in link, to the address subscribed or to a webhook's contact.</summary>
    public OutgoingMail ConfirmationMail(Subscriber subscriber, string deliveryId)
    {
        var model = new Dictionary<string, object?>
        {
            ["page"] = Page(),
            ["confirm_url"] = ConfirmUrl(subscriber.ConfirmToken!),
            ["webhook_url"] = subscriber.Kind == SubscriberKind.Webhook ? subscriber.Address : null,
            ["expires"] = subscriber.ConfirmExpiresAt is { } expires ? _time.Format(expires) : null,
            ["components"] = subscriber.Components is { } components
                ? string.Join(", ", components.Select(id => _componentNames.GetValueOrDefault(id, id)))
                : null,
        };
        return new OutgoingMail(
            subscriber.Contact ?? subscriber.Address,
            $"[{config.Page.Name}] Confirm your subscription",
            templates.Render("confirm.txt", model),
            templates.Render("confirm.html", model),
            deliveryId,
            new Dictionary<string, string> { ["Auto-Submitted"] = "auto-generated" });
    }

    /// <summary>
    /// What responders read: for a confirmed failure the failing monitors, their locations and the first
    /// diagnostic line, so they can start without opening anything.
    /// </summary>
    public ResponderMessage Responder(IncidentNotice notice, string deliveryId, byte[] json)
    {
        var text = new StringBuilder();
        var title = notice.Kind == "opened" && notice.Incident.Automatic
            ? $"Confirmed failure: {notice.Incident.Name}"
            : $"{notice.Headline}: {notice.Incident.Name}";
        text.AppendLine(notice.Event.Body);
        if (Evidence(notice.Event.Evidence) is { Count: > 0 } failing)
        {
            text.AppendLine("Failing: " + string.Join("; ", failing.Select(f => $"{f.Monitor} at {string.Join(", ", f.Locations)}")));
            if (failing.SelectMany(f => f.Messages).FirstOrDefault() is { } first)
            {
                text.AppendLine("First diagnostic: " + first);
            }
        }

        text.AppendLine("Components: " + string.Join(", ", notice.Components));
        if (notice.CustomerAction is { } action)
        {
            text.AppendLine("Customer action: " + action);
        }

        text.Append("At ").Append(_time.Format(notice.Event.At));
        return new ResponderMessage(title, text.ToString(), notice.IncidentUrl, deliveryId, json);
    }

    /// <summary>
    /// The webhook subscribers' body about one event, rendered once for all of them (<paramref name="now"/> is when it
    /// was generated): the copies differ only in the unsubscribe link and the delivery id.
    /// </summary>
    public WebhookBody SubscriberWebhook(IncidentNotice notice, PublicIncident incident, StatuspageWriter writer, DateTimeOffset now)
    {
        var unsubscribe = UnsubscribeUrl(_tokenMark);
        return new WebhookBody(
            writer.RenderIncidentWebhook(incident, Facts(notice, _deliveryMark, unsubscribe, now)), unsubscribe, _deliveryMark);
    }

    public WebhookFacts Facts(IncidentNotice notice, string deliveryId, string? unsubscribe, DateTimeOffset now)
    {
        var (start, end) = notice.Window;
        return new WebhookFacts(
            deliveryId,
            notice.Event.Id,
            notice.Kind,
            notice.CustomerAction,
            start,
            notice.Kind == "resolved" ? end : notice.Incident.ImpactEnd,
            unsubscribe,
            now);
    }

    /// <summary>RFC 8058: a mail client may unsubscribe with one POST, without the reader visiting a page.</summary>
    internal static Dictionary<string, string> ListHeaders(string unsubscribe) => new()
    {
        ["List-Unsubscribe"] = $"<{unsubscribe}>",
        ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        ["Auto-Submitted"] = "auto-generated",
    };

    internal string UnsubscribeUrl(string token) => $"{_base}/unsubscribe/{token}";

    private Dictionary<string, object?> Page() => new() { ["name"] = config.Page.Name, ["url"] = _base };

    private static string StatusWords(IncidentStatus status) => status switch
    {
        IncidentStatus.Investigating => "Investigating",
        IncidentStatus.Identified => "Identified",
        IncidentStatus.Monitoring => "Monitoring",
        IncidentStatus.Resolved => "Resolved",
        _ => "Postmortem",
    };

    /// <summary>The monitors, locations and messages of an Opened event's evidence; nothing for other shapes.</summary>
    private static List<(string Monitor, List<string> Locations, List<string> Messages)> Evidence(string? json)
    {
        var failing = new List<(string, List<string>, List<string>)>();
        if (json is null)
        {
            return failing;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return failing;
        }

        foreach (var monitor in document.RootElement.EnumerateArray())
        {
            if (monitor.ValueKind != JsonValueKind.Object || !monitor.TryGetProperty("monitor", out var id)
                || !monitor.TryGetProperty("locations", out var locations) || locations.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var names = new List<string>();
            var messages = new List<string>();
            foreach (var location in locations.EnumerateArray())
            {
                names.Add(location.GetProperty("location").GetString() ?? "?");
                if (location.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } line)
                {
                    messages.Add(line);
                }
            }

            failing.Add((id.GetString() ?? "?", names, messages));
        }

        return failing;
    }
}
