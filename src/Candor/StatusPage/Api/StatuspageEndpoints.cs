using Candor.Web;
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
    /// <param name="documents">Where GET and HEAD of each document are also answered ahead of the pipeline.</param>
    public static void MapStatuspageApi(this IEndpointRouteBuilder app, PublicDocuments? documents = null)
    {
        var responses = new StatuspageResponses();
        var source = app.ServiceProvider.GetRequiredService<IPublicSnapshotSource>();
        string[] methods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Options];
        foreach (var document in Enum.GetValues<StatuspageDocument>())
        {
            RequestDelegate serve = http => ServeAsync(http, responses, source, document);
            app.MapMethods(document.Path(), methods, serve)
                // Without this, routing would send a browser's CORS preflight to the 404 below.
                .WithMetadata(new HttpMethodMetadata(methods, acceptCorsPreflight: true));
            documents?.Add(document.Path(), serve, isPage: false);
        }

        app.Map(Prefix + "/{**rest}", NotFound);
    }

    private static Task ServeAsync(HttpContext http, StatuspageResponses responses, IPublicSnapshotSource source, StatuspageDocument document)
    {
        var request = http.Request;
        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = AnyOrigin;
        if (HttpMethods.IsOptions(request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            headers.Allow = Methods;
            headers.AccessControlAllowMethods = Methods;
            headers.AccessControlAllowHeaders = request.Headers.AccessControlRequestHeaders;
            headers.AccessControlMaxAge = "86400";
            return Task.CompletedTask;
        }

        headers.AccessControlExposeHeaders = HeaderNames.ETag;
        headers.CacheControl = CacheControl;
        headers.Vary = Vary;
        return responses.Get(source.Current, document).SendAsync(http, JsonContentType, anyEncodingIsGzip: true);
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
}
