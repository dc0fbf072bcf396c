using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Candor.StatusPage.Api;

/// <summary>
/// Statuspage's public API v2 under <c>/api/v2/</c>, so that existing status widgets and clients can read
/// Candor unchanged. Every answer comes from <see cref="IPublicSnapshotSource.Current"/>; nothing is queried
/// per request.
/// </summary>
public static class StatuspageEndpoints
{
    private const string Prefix = "/api/v2";

    // Browser widgets call cross-origin, and Atlassian's own renders nothing without these.
    private const string AnyOrigin = "*";
    private const string Methods = "GET, HEAD, OPTIONS";
    private const string CacheControl = "max-age=10, public, s-maxage=10, stale-while-revalidate=20, stale-if-error=3600";
    private const string Vary = "Accept, Accept-Encoding";
    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>
    /// Maps the eight documents for GET, HEAD and OPTIONS, and an empty 404 for every other path under
    /// <c>/api/v2/</c>. An <see cref="IPublicSnapshotSource"/> must be registered.
    /// </summary>
    public static void MapStatuspageApi(this IEndpointRouteBuilder app)
    {
        var responses = new StatuspageResponses();
        string[] methods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Options];
        foreach (var document in Enum.GetValues<StatuspageDocument>())
        {
            app.MapMethods(document.Path(), methods, http => ServeAsync(http, responses, document))
                // Without this, routing would send a browser's CORS preflight to the 404 below.
                .WithMetadata(new HttpMethodMetadata(methods, acceptCorsPreflight: true));
        }

        app.Map(Prefix + "/{**rest}", NotFound);
    }

    private static Task ServeAsync(HttpContext http, StatuspageResponses responses, StatuspageDocument document)
    {
        var request = http.Request;
        var response = http.Response;
        response.Headers.AccessControlAllowOrigin = AnyOrigin;
        if (HttpMethods.IsOptions(request.Method))
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            response.Headers.Allow = Methods;
            response.Headers.AccessControlAllowMethods = Methods;
            response.Headers.AccessControlAllowHeaders = request.Headers.AccessControlRequestHeaders;
            response.Headers.AccessControlMaxAge = "86400";
            return Task.CompletedTask;
        }

        var snapshot = http.RequestServices.GetRequiredService<IPublicSnapshotSource>().Current;
        var rendered = responses.Get(snapshot, document);
        response.Headers.AccessControlExposeHeaders = HeaderNames.ETag;
        response.Headers.CacheControl = CacheControl;
        response.Headers.ETag = rendered.ETag.ToString();
        response.Headers.Vary = Vary;

        var typed = request.GetTypedHeaders();
        if (typed.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(rendered.ETag, useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var gzip = AcceptsGzip(typed.AcceptEncoding);
        var body = gzip ? rendered.Gzipped : rendered.Body;
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    /// <summary>Statuspage answers unknown API paths with a bare 404: no body and no Content-Type.</summary>
    private static Task NotFound(HttpContext http)
    {
        // The host's status-code pages would otherwise write a text body into it.
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        http.Response.Headers.AccessControlAllowOrigin = AnyOrigin;
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static bool AcceptsGzip(IList<StringWithQualityHeaderValue> accepted)
    {
        var gzip = accepted.FirstOrDefault(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            ?? accepted.FirstOrDefault(e => e.Value.Equals("*", StringComparison.Ordinal));
        return gzip is not null && gzip.Quality is not 0;
    }
}
