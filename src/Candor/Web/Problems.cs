using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Web;

/// <summary>
/// The RFC 7807 problems Candor answers with. Each kind has a stable `type` URI that clients can switch on;
/// the detail is written for the person reading it.
/// </summary>
public static class Problems
{
    private const string TypeBase = "https://candor.dev/problems/";

    public static ProblemHttpResult UnknownMonitor(string id) =>
        TypedResults.Problem(
            type: TypeBase + "unknown-monitor",
            title: "No such monitor",
            detail: $"No monitor has the id '{id}'.",
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult UnknownResult(string monitorId, string resultId) =>
        TypedResults.Problem(
            type: TypeBase + "unknown-result",
            title: "No such result",
            detail: $"Monitor '{monitorId}' has no result with the id '{resultId}' (results are kept for retention.results).",
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem(
            type: TypeBase + "unauthorized",
            title: "A token is needed",
            detail: "Send 'Authorization: Bearer <token>'; `candor token create --role viewer --name NAME` makes one.",
            statusCode: StatusCodes.Status401Unauthorized);

    public static ProblemHttpResult Forbidden(string role) =>
        TypedResults.Problem(
            type: TypeBase + "forbidden",
            title: "Not allowed for this token's role",
            detail: $"A {role} token may not do this.",
            statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult UnknownComponent(string id) =>
        TypedResults.Problem(
            type: TypeBase + "unknown-component",
            title: "No such component",
            detail: $"No component has the id '{id}'.",
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult UnknownPingToken() =>
        TypedResults.Problem(
            type: TypeBase + "unknown-ping-token",
            title: "No such heartbeat",
            detail: "No heartbeat monitor has this token. The monitor's record in /api/v1/monitors shows its ping URL.",
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult InvalidBody(string? field, string detail) =>
        TypedResults.Problem(
            type: TypeBase + "invalid-body",
            title: "Invalid request body",
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult UnknownIncident(string id) =>
        TypedResults.Problem(
            type: TypeBase + "unknown-incident",
            title: "No such incident",
            detail: $"No incident has the id '{id}'.",
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult IncidentNotOpen(string detail) =>
        TypedResults.Problem(
            type: TypeBase + "unknown-incident",
            title: "No such open incident",
            detail: detail,
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult UnknownMaintenance(string detail) =>
        TypedResults.Problem(
            type: TypeBase + "unknown-maintenance",
            title: "No such maintenance window",
            detail: detail,
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult InvalidRequest(string detail) =>
        TypedResults.Problem(
            type: TypeBase + "invalid-request",
            title: "The request cannot be carried out",
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest);

    /// <summary>409 with what verification still lacks, so a responder knows exactly what to wait for.</summary>
    public static ProblemHttpResult Unverified(Incidents.VerificationVerdict verdict) =>
        TypedResults.Problem(
            type: TypeBase + "incident-not-verified",
            title: "The incident is not verified yet",
            detail: $"Not resolved: {string.Join("; ", verdict.Reasons())}. To resolve anyway, send override: true with a reason, which is shown publicly.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?>
            {
                ["minutes_left"] = (int)Math.Ceiling(verdict.Left.TotalMinutes),
                ["still_failing"] = verdict.StillFailing,
                ["silent_locations"] = verdict.SilentLocations,
                ["failed_monitors"] = verdict.FailedMonitors,
                ["reasons"] = verdict.Reasons(),
            });

    public static ProblemHttpResult BadQuery(string parameter, string detail) =>
        TypedResults.Problem(
            type: TypeBase + "invalid-query",
            title: "Invalid query parameter",
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    public static ProblemHttpResult UnknownSubscriber(string id) =>
        TypedResults.Problem(
            type: TypeBase + "unknown-subscriber",
            title: "No such subscriber",
            detail: $"No subscriber has the id '{id}'.",
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult AlreadySubscribed(
        string detail = "This address is already a subscriber; remove it first to change what it follows.") =>
        TypedResults.Problem(
            type: TypeBase + "already-subscribed",
            title: "Already subscribed",
            detail: detail,
            statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult NotDead(string id) =>
        TypedResults.Problem(
            type: TypeBase + "not-dead",
            title: "No such dead message",
            detail: $"No dead message in the outbox has the id '{id}'; only dead messages are retried by hand.",
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult NoMail() =>
        TypedResults.Problem(
            type: TypeBase + "no-mail",
            title: "E-mail subscriptions are not available",
            detail: "This server has no notifications.smtp configured, so it cannot send the confirmation.",
            statusCode: StatusCodes.Status503ServiceUnavailable);
}
