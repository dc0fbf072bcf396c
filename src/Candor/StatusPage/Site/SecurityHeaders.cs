namespace Candor.StatusPage.Site;

/// <summary>
/// The headers every answer carries. Scripts and styles come only from Candor's own static files, so an update
/// that smuggled markup past the encoder still could not run anything; no page may be framed (clickjacking).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy a page can state about itself in a meta element, where an export has no headers.</summary>
    public const string DocumentPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'";

    public const string Policy = DocumentPolicy + "; form-action 'self'; frame-ancestors 'none'";

    public static void UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            // Set when the answer starts, so that an error page written later gets them too.
            http.Response.OnStarting(
                static headers =>
                {
                    Add((IHeaderDictionary)headers);
                    return Task.CompletedTask;
                },
                http.Response.Headers);
            return next(http);
        });

    /// <summary>Adds each header the answer has not set itself.</summary>
    public static void Add(IHeaderDictionary headers)
    {
        headers.TryAdd("Content-Security-Policy", Policy);
        headers.TryAdd("X-Content-Type-Options", "nosniff");
        headers.TryAdd("Referrer-Policy", "strict-origin-when-cross-origin");
        headers.TryAdd("X-Frame-Options", "DENY");
    }
}
