using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using Candor.Configuration;
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
        app.MapGet("/subscribe", (CandorConfig config) => Page(config, "Subscribe", Form(config)));
        app.MapPost("/subscribe", SubscribeAsync).RequireRateLimiting(RateLimitPolicy);
        app.MapGet("/subscribe/confirm/{token}", ConfirmAsync);
        app.MapGet("/unsubscribe/{token}", (string token, CandorConfig config) => Page(
            config,
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
            return isForm ? Page(config, "Subscribe", "<p>That is not an e-mail address.</p>" + Form(config), 400) : Problems.InvalidBody("email", "'email' must be an e-mail address");
        }

        if (SubscriberApi.UnknownComponents(components, config) is { } unknown)
        {
            return isForm ? Page(config, "Subscribe", $"<p>{Html(unknown)}</p>" + Form(config), 400) : Problems.InvalidBody("components", unknown);
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
            ? Page(config, "Check your inbox", $"<p>{Sent}</p>", StatusCodes.Status202Accepted)
            : TypedResults.Json(new Dictionary<string, string> { ["status"] = "confirmation_sent", ["detail"] = Sent }, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ConfirmAsync(
        string token, ICandorStore store, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken) =>
        await store.ConfirmSubscriberAsync(token, clock.StoredNow(), cancellationToken) is null
            ? Page(config, "Link expired", "<p>This link has expired or was already used. Subscribe again to get a new one.</p>", StatusCodes.Status404NotFound)
            : Page(config, "Subscribed", $"<p>You will be told about incidents on {Html(config.Page.Name)}. Every e-mail has a link to stop them.</p>");

    /// <summary>
    /// RFC 8058's one-click POST (body <c>List-Unsubscribe=One-Click</c>) and the page's button both land here. A
    /// GET only shows the button: mail scanners follow links, and must not unsubscribe anyone by doing so.
    /// </summary>
    private static async Task<IResult> UnsubscribeAsync(
        string token, ICandorStore store, CandorConfig config, CancellationToken cancellationToken)
    {
        if (await store.FindSubscriberByTokenAsync(token, cancellationToken) is { } subscriber)
        {
            await store.RemoveSubscriberAsync(subscriber.Id, cancellationToken);
        }

        return Page(config, "Unsubscribed", $"<p>You will get no more e-mails from {Html(config.Page.Name)}.</p>");
    }

    private static string Form(CandorConfig config)
    {
        var boxes = new StringBuilder();
        foreach (var component in config.Components)
        {
            boxes.Append(
                $"""<label><input type="checkbox" name="components" value="{Html(component.Id)}"> {Html(component.Name)}</label><br>""");
        }

        return $"""
            <form method="post" action="/subscribe">
            <p><label>E-mail <input type="email" name="email" required></label></p>
            <fieldset><legend>Only these components (none ticked: all of them)</legend>{boxes}</fieldset>
            <p><button type="submit">Subscribe</button></p>
            </form>
            """;
    }

    private static ContentHttpResult Page(CandorConfig config, string title, string body, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(
            $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html(title)} · {Html(config.Page.Name)}</title></head>
            <body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">
            <h1>{Html(title)}</h1>
            {body}
            </body></html>
            """,
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
