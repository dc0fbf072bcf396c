using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using Candor.Configuration;
using Candor.StatusPage.Site;
using Candor.Storage;
using Candor.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Notifications;

/// <summary>
/// The public side of subscriptions: the forms, the double opt-in link, and one-click unsubscribe. No answer here
/// says whether an e-mail address is subscribed: a known, an unconfirmed and a new address all get the same reply.
/// A webhook URL is no one's address, and one already subscribed is said to be, so that whoever typed it does not
/// wait for a link that will not come.
/// </summary>
public static class SubscribeEndpoints
{
    public const string RateLimitPolicy = "subscribe";

    private const string WebhookTaken =
        "That webhook URL is already subscribed. Every request it gets carries a link that stops them, after which it can be subscribed again with other components.";

    /// <summary>Subscribe requests are limited per client address, so the form cannot be used to mail-bomb someone.</summary>
    public static void AddSubscribeRateLimit(this IServiceCollection services, NotificationsConfig settings) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.SubscribeLimit, Window = TimeSpan.FromHours(1) }));
        });

    public static void MapSubscribeEndpoints(this IEndpointRouteBuilder app)
    {
        // The forms themselves are pages of the status site (GET /subscribe and /subscribe/webhook), served from its snapshot.
        app.MapPost("/subscribe", SubscribeAsync).RequireRateLimiting(RateLimitPolicy);
        app.MapGet("/subscribe/confirm/{token}", FollowLinkAsync);
        app.MapPost("/subscribe/confirm/{token}", ConfirmAsync);
        app.MapGet("/unsubscribe/{token}", (string token, CandorConfig config, TimeProvider clock) => Page(
            config,
            clock,
            "Unsubscribe",
            $"""
            <p>Stop messages about incidents from {Html(config.Page.Name)}?</p>
            <form method="post" action="/unsubscribe/{Html(token)}"><button type="submit">Unsubscribe</button></form>
            """));
        app.MapPost("/unsubscribe/{token}", UnsubscribeAsync);
    }

    /// <remarks>
    /// A form with a <c>webhook_url</c> field, or JSON with that key, asks for a webhook, and its <c>email</c> is the
    /// contact the link goes to; without it, <c>email</c> is the address to subscribe.
    /// </remarks>
    private static async Task<IResult> SubscribeAsync(
        HttpContext http, ICandorStore store, CandorConfig config, OutboxDispatcher dispatcher, TimeProvider clock, CancellationToken cancellationToken)
    {
        var isForm = http.Request.HasFormContentType;
        string? email;
        string? webhookUrl;
        IReadOnlyList<string>? components;
        if (isForm)
        {
            var form = await http.Request.ReadFormAsync(cancellationToken);
            email = form["email"].ToString();
            webhookUrl = form.TryGetValue("webhook_url", out var url) ? url.ToString().Trim() : null;
            components = form["components"].Count == 0 ? null : [.. form["components"].OfType<string>()];
        }
        else
        {
            var (body, problem) = await JsonBody.ReadAsync<PublicSubscribeRequest>(http.Request, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            (email, webhookUrl, components) = (body!.Email, body.WebhookUrl?.Trim(), body.Components);
        }

        if (config.Notifications.Smtp is null)
        {
            return Problems.NoMail();
        }

        var (pending, invalid) = NewSubscriber.Requested(email, webhookUrl, components, config, clock.StoredNow());
        if (invalid is not null)
        {
            return isForm
                ? Refused(config, clock, new(invalid.Field, invalid.Detail, email, webhookUrl, components ?? []), StatusCodes.Status400BadRequest)
                : Problems.InvalidBody(invalid.Field, invalid.Detail);
        }

        var requested = await store.RequestSubscriptionAsync(pending!, cancellationToken);
        dispatcher.Wake();
        if (pending!.Kind == SubscriberKind.Email)
        {
            return Sent(isForm, config, clock, "If this address can be subscribed, a confirmation link is on its way to it. Nothing else is sent until it is confirmed.");
        }

        if (!requested)
        {
            return isForm
                ? Refused(config, clock, new("webhook_url", WebhookTaken, email, webhookUrl, components ?? []), StatusCodes.Status409Conflict)
                : Problems.AlreadySubscribed(WebhookTaken);
        }

        return Sent(isForm, config, clock, $"A link to confirm the webhook is on its way to {pending.Contact}. Nothing is sent to the webhook until it is followed.");
    }

    /// <summary>
    /// The link in the confirmation mail. It confirms an e-mail address at once. For a webhook it shows what is about
    /// to start, and a button that confirms it: mail scanners follow links, and one that did would be the only
    /// reader of the signing key, which is shown once.
    /// </summary>
    private static async Task<IResult> FollowLinkAsync(
        string token, HttpContext http, ICandorStore store, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.FindPendingSubscriberAsync(token, clock.StoredNow(), cancellationToken) is not { Kind: SubscriberKind.Webhook } webhook)
        {
            return await ConfirmAsync(token, http, store, config, clock, cancellationToken);
        }

        http.Response.Headers.CacheControl = "no-store";
        return Page(config, clock, "Confirm the webhook", $"""
            <p>{Html(config.Page.Name)} is to send its incident updates{Following(webhook, config)} to this webhook:</p>
            <p><code>{Html(webhook.Address)}</code></p>
            <p>Its requests are signed with a key that the next page shows, once: have somewhere safe ready to keep it.</p>
            <form method="post" action="/subscribe/confirm/{Html(token)}"><button type="submit">Confirm and show the key</button></form>
            """);
    }

    private static async Task<IResult> ConfirmAsync(
        string token, HttpContext http, ICandorStore store, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Reached by a secret link, and for a webhook showing its signing key: no cache may keep a copy.
        http.Response.Headers.CacheControl = "no-store";
        return await store.ConfirmSubscriberAsync(token, clock.StoredNow(), cancellationToken) switch
        {
            null => Page(config, clock, "Link expired", "<p>This link has expired or was already used. <a href=\"/subscribe\">Subscribe again</a> to get a new one.</p>", StatusCodes.Status404NotFound),
            { Kind: SubscriberKind.Webhook } webhook => Page(config, clock, "Webhook subscribed", $"""
                <p role="status">{Html(config.Page.Name)} will send its incident updates{Following(webhook, config)} to <code>{Html(webhook.Address)}</code>.</p>
                <p>Each request is signed with this key, shown only now. Keep it where the receiver can read it:</p>
                <p><code class="key">{Html(webhook.Secret ?? "")}</code></p>
                <p>To check a request, compute the HMAC-SHA256, with this key, of its <code>{WebhookSignature.TimestampHeader}</code> header, a dot and the body: <code>{WebhookSignature.SignatureHeader}</code> is <code>sha256=</code> and that HMAC in lower-case hex. Every request carries a link that stops them.</p>
                """),
            _ => Page(config, clock, "Subscribed", $"<p role=\"status\">You will be told about incidents on {Html(config.Page.Name)}. Every e-mail has a link to stop them.</p>"),
        };
    }

    /// <summary>
    /// RFC 8058's one-click POST (body <c>List-Unsubscribe=One-Click</c>) and the page's button both land here. A
    /// GET only shows the button: mail scanners follow links, and must not unsubscribe anyone by doing so.
    /// </summary>
    private static async Task<IResult> UnsubscribeAsync(
        string token, ICandorStore store, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.FindSubscriberByTokenAsync(token, cancellationToken) is { } subscriber)
        {
            await store.RemoveSubscriberAsync(subscriber.Id, cancellationToken);
        }

        return Page(config, clock, "Unsubscribed", $"<p role=\"status\">You will get no more messages from {Html(config.Page.Name)}.</p>");
    }

    /// <summary>" about" and the names of the components followed, or nothing for the whole page.</summary>
    private static string Following(Subscriber subscriber, CandorConfig config) =>
        subscriber.Components is { } ids
            ? " about " + Html(string.Join(", ", ids.Select(id => config.Components.FirstOrDefault(c => c.Id == id)?.Name ?? id)))
            : "";

    private static IResult Sent(bool isForm, CandorConfig config, TimeProvider clock, string detail) =>
        isForm
            ? Page(config, clock, "Check your inbox", $"<p role=\"status\">{Html(detail)}</p>", StatusCodes.Status202Accepted)
            : TypedResults.Json(new Dictionary<string, string> { ["status"] = "confirmation_sent", ["detail"] = detail }, statusCode: StatusCodes.Status202Accepted);

    /// <summary>The form again, with what was wrong and what was typed.</summary>
    private static ContentHttpResult Refused(CandorConfig config, TimeProvider clock, RefusedSubscription refused, int status) =>
        TypedResults.Content(
            refused.WebhookUrl is null
                ? SitePages.Subscribe(config, SiteLinks.Server, clock.GetUtcNow(), refused)
                : SitePages.SubscribeWebhook(config, SiteLinks.Server, clock.GetUtcNow(), refused),
            "text/html; charset=utf-8",
            Encoding.UTF8,
            status);

    private static ContentHttpResult Page(CandorConfig config, TimeProvider clock, string title, string body, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(
            SitePages.Document(config, title, $"<h1>{Html(title)}</h1>\n{body}", SiteLinks.Server, clock.GetUtcNow(), refresh: false),
            "text/html; charset=utf-8",
            Encoding.UTF8,
            status);

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private sealed record PublicSubscribeRequest
    {
        public string? Email { get; init; }

        /// <summary>A webhook to subscribe, with <see cref="Email"/> its contact.</summary>
        public string? WebhookUrl { get; init; }

        public IReadOnlyList<string>? Components { get; init; }
    }
}
