using System.Globalization;
using Candor.StatusPage.Api;
using Microsoft.Net.Http.Headers;

namespace Candor.StatusPage.Site;

/// <summary>
/// The public pages, badges and static files, all answered from memory with an ETag (a revalidation costs a 304
/// and no body) and a short Cache-Control, so that browsers and any cache in front share the load of a surge.
/// </summary>
public static class SiteEndpoints
{
    private const string PageCaching = "public, max-age=10, stale-while-revalidate=20";
    private const string AssetCaching = "public, max-age=3600";

    public static void MapStatusSite(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/", methods, (HttpContext http, LiveStatusSite site) => Serve(http, site.Current.Home, PageCaching));
        app.MapMethods("/history", methods, (HttpContext http, LiveStatusSite site) => Serve(http, site.Current.History, PageCaching));
        app.MapMethods("/subscribe", methods, (HttpContext http, LiveStatusSite site) =>
            Serve(http, site.Current.Subscribe, PageCaching));
        app.MapMethods("/subscribe/webhook", methods, (HttpContext http, LiveStatusSite site) =>
            Serve(http, site.Current.SubscribeWebhook, PageCaching));
        app.MapMethods("/incidents/{id}", methods, (string id, HttpContext http, LiveStatusSite site) =>
            Serve(http, site.Current.Incident(id), PageCaching));
        app.MapMethods("/badge/{component}.svg", methods, (string component, HttpContext http, LiveStatusSite site) =>
            Serve(http, site.Current.StatusBadge(component), PageCaching));
        app.MapMethods("/badge/{component}/uptime.svg", methods, (string component, string? days, HttpContext http, LiveStatusSite site) =>
            Serve(
                http,
                int.TryParse(days ?? "30", NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? site.Current.UptimeBadge(component, n) : null,
                PageCaching));
        foreach (var (path, body, contentType) in SiteAssets.All)
        {
            var asset = new SiteResponse(new StatuspageResponse(body), contentType);
            app.MapMethods("/" + path, methods, (HttpContext http) => Serve(http, asset, AssetCaching));
        }
    }

    private static Task Serve(HttpContext http, SiteResponse? response, string caching)
    {
        var request = http.Request;
        var answer = http.Response;
        if (response is null)
        {
            answer.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var rendered = response.Rendered;
        answer.Headers.CacheControl = caching;
        answer.Headers.ETag = rendered.ETag.ToString();
        answer.Headers.Vary = HeaderNames.AcceptEncoding;
        var typed = request.GetTypedHeaders();
        if (typed.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(rendered.ETag, useStrongComparison: false)))
        {
            answer.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var gzip = typed.AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0);
        var body = gzip ? rendered.Gzipped : rendered.Body;
        if (gzip)
        {
            answer.Headers.ContentEncoding = "gzip";
        }

        answer.ContentType = response.ContentType;
        answer.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : answer.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }
}
