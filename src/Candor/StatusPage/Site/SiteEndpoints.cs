using System.Globalization;
using Candor.StatusPage.Api;
using Candor.Web;
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

    /// <param name="documents">Where GET and HEAD of the pages and files at fixed paths are also answered ahead of the pipeline.</param>
    public static void MapStatusSite(this IEndpointRouteBuilder app, PublicDocuments? documents = null)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        var site = app.ServiceProvider.GetRequiredService<LiveStatusSite>();
        Map("/", http => Serve(http, site.Current.Home, PageCaching), isPage: true);
        Map("/history", http => Serve(http, site.Current.History, PageCaching), isPage: true);
        Map("/subscribe", http => Serve(http, site.Current.Subscribe, PageCaching), isPage: true);
        Map("/subscribe/webhook", http => Serve(http, site.Current.SubscribeWebhook, PageCaching), isPage: true);
        app.MapMethods("/incidents/{id}", methods, (string id, HttpContext http) => Serve(http, site.Current.Incident(id), PageCaching));
        app.MapMethods("/components/{id}", methods, (string id, HttpContext http) => Serve(http, site.Current.Component(id), PageCaching));
        app.MapMethods("/badge/{component}.svg", methods, (string component, HttpContext http) =>
            Serve(http, site.Current.StatusBadge(component), PageCaching));
        app.MapMethods("/badge/{component}/uptime.svg", methods, (string component, string? days, HttpContext http) =>
            Serve(
                http,
                int.TryParse(days ?? "30", NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? site.Current.UptimeBadge(component, n) : null,
                PageCaching));
        foreach (var (path, body, contentType) in SiteAssets.All)
        {
            var asset = new SiteResponse(new StatuspageResponse(body), contentType);
            Map("/" + path, http => Serve(http, asset, AssetCaching), isPage: false);
        }

        void Map(string path, RequestDelegate serve, bool isPage)
        {
            app.MapMethods(path, methods, serve);
            documents?.Add(path, serve, isPage);
        }
    }

    /// <summary>A page of the current content: nearly always rendered already, and sent without a wait.</summary>
    private static Task Serve(HttpContext http, Task<SiteResponse>? response, string caching) =>
        response is null ? Serve(http, (SiteResponse?)null, caching)
        : response.IsCompletedSuccessfully ? Serve(http, response.Result, caching)
        : ServeRenderedAsync(http, response, caching);

    private static async Task ServeRenderedAsync(HttpContext http, Task<SiteResponse> response, string caching) =>
        await Serve(http, await response, caching);

    private static Task Serve(HttpContext http, SiteResponse? response, string caching)
    {
        if (response is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var headers = http.Response.Headers;
        headers.CacheControl = caching;
        headers.Vary = HeaderNames.AcceptEncoding;
        return response.Rendered.SendAsync(http, response.ContentType, anyEncodingIsGzip: false);
    }
}
