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
/// The public side of subscriptions: the form, the double opt-in link, and one-click unsubscribe. No answer here
/// says whether an address is subscribed: a known, an unconfirmed and a new address all get the same reply.
/// </summary>
public static class SubscribeEndpoints
{
    public const string RateLimitPolicy = "subscribe";

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
        // The form itself is a page of the status site (GET /subscribe), served from its snapshot.
        app.MapPost("/subscribe", SubscribeAsync).RequireRateLimiting(RateLimitPolicy);
        app.MapGet("/subscribe/confirm/{token}", ConfirmAsync);
        app.MapGet("/unsubscribe/{token}", (string token, CandorConfig config, TimeProvider clock) => Page(
            config,
            clock,
            "Unsubscribe",
            $"""
            <p>Stop e-mails about incidents from {Html(config.Page.Name)}?</p>
            <form method="post" action="/unsubscribe/{Html(token)}"><button type="submit">Unsubscribe</button></form>
            """));
        app.MapPost("/unsubscribe/{token}", UnsubscribeAsync);
    }

    private static async Task<IResult> SubscribeAsync(
        HttpContext http, ICandorStore store, CandorConfig config, OutboxDispatcher dispatcher, TimeProvider clock, CancellationToken cancellationToken)
    {
        var isForm = http.Request.HasFormContentType;
        string? email;
        IReadOnlyList<string>? components;
        if (isForm)
        {
            var form = await http.Request.ReadFormAsync(cancellationToken);
            email = form["email"].ToString();
            components = form["components"].Count == 0 ? null : [.. form["components"].OfType<string>()];
        }
        else
        {
            var (body, problem) = await JsonBody.ReadAsync<PublicSubscribeRequest>(http.Request, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            (email, components) = (body!.Email, body.Components);
        }

        if (config.Notifications.Smtp is null)
        {
            return Problems.NoMail();
        }

        if (!EmailAddress.IsValid(email))
        {
            return isForm ? Refused(config, clock, "That is not an e-mail address.", email) : Problems.InvalidBody("email", "'email' must be an e-mail address");
        }

        if (SubscriberApi.UnknownComponents(components, config) is { } unknown)
        {
            return isForm ? Refused(config, clock, unknown, email) : Problems.InvalidBody("components", unknown);
        }

        var now = clock.StoredNow();
        await store.RequestSubscriptionAsync(
            new Subscriber
            {
                Id = Incidents.Ids.New(),
                Kind = SubscriberKind.Email,
                Address = EmailAddress.Normalize(email!),
                Components = components is null ? null : [.. components.Distinct()],
                Token = Subscriber.NewToken(),
                ConfirmToken = Subscriber.NewToken(),
                ConfirmExpiresAt = now + Subscriber.ConfirmFor,
                CreatedAt = now,
            },
            cancellationToken);
        dispatcher.Wake();

        const string Sent = "If this address can be subscribed, a confirmation link is on its way to it. Nothing else is sent until it is confirmed.";
        return isForm
            ? Page(config, clock, "Check your inbox", $"<p role=\"status\">{Sent}</p>", StatusCodes.Status202Accepted)
            : TypedResults.Json(new Dictionary<string, string> { ["status"] = "confirmation_sent", ["detail"] = Sent }, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ConfirmAsync(
        string token, ICandorStore store, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken) =>
        await store.ConfirmSubscriberAsync(token, clock.StoredNow(), cancellationToken) is null
            ? Page(config, clock, "Link expired", "<p>This link has expired or was already used. <a href=\"/subscribe\">Subscribe again</a> to get a new one.</p>", StatusCodes.Status404NotFound)
            : Page(config, clock, "Subscribed", $"<p role=\"status\">You will be told about incidents on {Html(config.Page.Name)}. Every e-mail has a link to stop them.</p>");

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

        return Page(config, clock, "Unsubscribed", $"<p role=\"status\">You will get no more e-mails from {Html(config.Page.Name)}.</p>");
    }

    /// <summary>The form again, with what was wrong and the address as typed.</summary>
    private static ContentHttpResult Refused(CandorConfig config, TimeProvider clock, string error, string? email) =>
        TypedResults.Content(
            SitePages.Subscribe(config, SiteLinks.Server, clock.GetUtcNow(), error, email),
            "text/html; charset=utf-8",
            Encoding.UTF8,
            StatusCodes.Status400BadRequest);

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

        public IReadOnlyList<string>? Components { get; init; }
    }
}
