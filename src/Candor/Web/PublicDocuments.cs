using Candor.StatusPage.Site;

namespace Candor.Web;

/// <summary>
/// The public documents that GET and HEAD answer from memory (the status pages, the Statuspage API, the static
/// files), answered ahead of routing, authentication, authorization, rate limiting and the audit log, none of
/// which they need. A status page is read hardest while something is down, and that pipeline cost as much as the
/// answer itself. Each is mapped as an endpoint too, for its other methods and for the spellings of its path that
/// routing matches beside the exact one.
/// </summary>
public sealed class PublicDocuments
{
    private readonly Dictionary<string, (RequestDelegate Handler, bool IsPage)> _byPath = new(StringComparer.Ordinal);

    /// <summary>Answers GET and HEAD of exactly this path with the handler. All are added before the server starts.</summary>
    /// <param name="isPage">Whether the answer is an HTML page, whose security headers are a page's.</param>
    public void Add(string path, RequestDelegate handler, bool isPage) => _byPath.Add(path, (handler, isPage));

    /// <summary>Goes first in the pipeline; everything else passes on.</summary>
    public void Use(IApplicationBuilder app) =>
        app.Use(next => http =>
        {
            var request = http.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && request.Path.Value is { } path
                && _byPath.TryGetValue(path, out var document))
            {
                SecurityHeaders.Set(http.Response.Headers, document.IsPage);
                return document.Handler(http);
            }

            return next(http);
        });
}
