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

    public static ProblemHttpResult UnknownPingToken() =>
        TypedResults.Problem(
            type: TypeBase + "unknown-ping-token",
            title: "No such heartbeat",
            detail: "No heartbeat monitor has this token. The monitor's record in /api/v1/monitors shows its ping URL.",
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult BadQuery(string parameter, string detail) =>
        TypedResults.Problem(
            type: TypeBase + "invalid-query",
            title: "Invalid query parameter",
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
