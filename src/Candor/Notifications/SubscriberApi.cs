using System.Globalization;
using Candor.Configuration;
using Candor.Security;
using Candor.Storage;
using Candor.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Notifications;

public sealed record AddSubscriberRequest
{
    public string? Email { get; init; }

    public string? WebhookUrl { get; init; }

    /// <summary>The components to follow; absent for the whole page.</summary>
    public IReadOnlyList<string>? Components { get; init; }

    /// <summary>The webhook's signing key; one is made when absent.</summary>
    public string? Secret { get; init; }
}

/// <param name="Contact">The e-mail address that confirmed a webhook subscribed on the public page.</param>
/// <param name="Secret">Shown once, in the answer that adds a webhook subscriber.</param>
public sealed record SubscriberDto(
    string Id,
    SubscriberKind Kind,
    string? Email,
    string? WebhookUrl,
    string? Contact,
    IReadOnlyList<string>? Components,
    bool Confirmed,
    DateTimeOffset CreatedAt,
    string? Secret);

public sealed record DeliveryDto(
    long Id,
    string EventId,
    string? IncidentId,
    OutboxMessage Message,
    RecipientKind RecipientKind,
    string RecipientId,
    OutboxState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    string DeliveryId);

/// <summary>`/api/v1/subscribers` and `/api/v1/outbox`: who is told, what went out, and what is stuck. Admins only.</summary>
public static class SubscriberApi
{
    private const int ListLimit = 500;

    public static void MapSubscriberApi(this IEndpointRouteBuilder app)
    {
        var subscribers = app.MapGroup("/api/v1/subscribers").RequireAuthorization(ApiPolicies.Admin);
        subscribers.MapGet("/", ListAsync);
        subscribers.MapPost("/", AddAsync);
        subscribers.MapDelete("/{id}", RemoveAsync);
        subscribers.MapGet("/{id}/deliveries", DeliveriesAsync);

        var outbox = app.MapGroup("/api/v1/outbox").RequireAuthorization(ApiPolicies.Admin);
        outbox.MapGet("/", OutboxAsync);
        outbox.MapPost("/{id}/retry", RetryAsync);
    }

    private static async Task<Ok<List<SubscriberDto>>> ListAsync(ICandorStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.GetSubscribersAsync(cancellationToken)).Select(s => ToDto(s, secret: null)).ToList());

    private static async Task<Results<Created<SubscriberDto>, ProblemHttpResult>> AddAsync(
        HttpContext http, ICandorStore store, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AddSubscriberRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (subscriber, invalid) = NewSubscriber.ByAdmin(
            body!.Email, body.WebhookUrl, body.Components, body.Secret, config, clock.StoredNow());
        if (invalid is not null)
        {
            return Problems.InvalidBody(invalid.Field, invalid.Detail);
        }

        if (!await store.AddSubscriberAsync(subscriber!, cancellationToken))
        {
            return Problems.AlreadySubscribed();
        }

        return TypedResults.Created($"/api/v1/subscribers/{subscriber!.Id}", ToDto(subscriber, subscriber.Secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string id, ICandorStore store, CancellationToken cancellationToken) =>
        await store.RemoveSubscriberAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.UnknownSubscriber(id);

    private static async Task<Results<Ok<List<DeliveryDto>>, ProblemHttpResult>> DeliveriesAsync(
        string id, ICandorStore store, CancellationToken cancellationToken)
    {
        if (await store.GetSubscriberAsync(id, cancellationToken) is null)
        {
            return Problems.UnknownSubscriber(id);
        }

        return TypedResults.Ok((await store.GetOutboxAsync(null, id, ListLimit, cancellationToken)).Select(ToDto).ToList());
    }

    private static async Task<Results<Ok<List<DeliveryDto>>, ProblemHttpResult>> OutboxAsync(
        string? state, ICandorStore store, CancellationToken cancellationToken)
    {
        OutboxState? wanted = null;
        if (state is not null)
        {
            if (!Enum.TryParse<OutboxState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || state.Any(char.IsDigit))
            {
                return Problems.BadQuery("state", $"'{state}' is not one of: pending, sending, sent, dead, cancelled");
            }

            wanted = parsed;
        }

        return TypedResults.Ok((await store.GetOutboxAsync(wanted, null, ListLimit, cancellationToken)).Select(ToDto).ToList());
    }

    private static async Task<Results<Ok, ProblemHttpResult>> RetryAsync(
        string id, ICandorStore store, OutboxDispatcher dispatcher, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || !await store.RetryOutboxAsync(number, clock.StoredNow(), cancellationToken))
        {
            return Problems.NotDead(id);
        }

        dispatcher.Wake();
        return TypedResults.Ok();
    }

    /// <returns>What is wrong with the list, or null when every component exists.</returns>
    internal static string? UnknownComponents(IReadOnlyList<string>? components, CandorConfig config)
    {
        var unknown = (components ?? []).Where(c => config.Components.All(known => known.Id != c)).ToList();
        return components is { Count: 0 } ? "components must not be empty: leave it out to follow the whole page"
            : unknown.Count > 0 ? $"unknown component(s): {string.Join(", ", unknown)}"
            : null;
    }

    private static SubscriberDto ToDto(Subscriber s, string? secret) => new(
        s.Id,
        s.Kind,
        s.Kind == SubscriberKind.Email ? s.Address : null,
        s.Kind == SubscriberKind.Webhook ? s.Address : null,
        s.Contact,
        s.Components,
        s.Confirmed,
        s.CreatedAt,
        secret);

    private static DeliveryDto ToDto(OutboxEntry e) => new(
        e.Id, e.EventId, e.IncidentId, e.Message, e.RecipientKind, e.RecipientId, e.State, e.Attempts, e.NextAttemptAt, e.LastError,
        e.CreatedAt, e.SentAt, e.DeliveryId);
}
