using System.Text;
using Candor.Configuration;

namespace Candor.Monitoring.Checks;

/// <summary>The keys of an `http` monitor.</summary>
public sealed record HttpSettings : IValidatableConfig
{
    public string Method { get; init; } = "GET";

    /// <summary>Request headers; body headers such as Content-Type are sent on the body (an empty one if none is set).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Sent as UTF-8 text/plain unless a Content-Type header says otherwise.</summary>
    public string? Body { get; init; }

    /// <summary>Follows up to 10 redirects; past that, the last redirect response is what the conditions see.</summary>
    public bool FollowRedirects { get; init; } = true;

    /// <summary>When false any certificate is accepted, and its expiry is still reported.</summary>
    public bool VerifyTls { get; init; } = true;

    /// <summary>
    /// Bytes of the body kept for conditions. The rest is still read and thrown away, so that `response_time`
    /// is the time to fetch the whole response, as a user would, and a body that stalls is caught by the timeout.
    /// </summary>
    public int MaxBody { get; init; } = 1024 * 1024;

    /// <summary>The request these settings describe, as the check and the diagnosis of an outage both send it.</summary>
    internal HttpRequestMessage CreateRequest(Uri target)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method.ToUpperInvariant()), target);
        if (Body is not null)
        {
            request.Content = new StringContent(Body, Encoding.UTF8);
        }

        foreach (var (name, value) in Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        // Some firewalls turn away requests without a User-Agent, which would look like an outage.
        if (!request.Headers.Contains("User-Agent"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", "Candor");
        }

        return request;
    }

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (monitor is not null)
        {
            if (string.IsNullOrWhiteSpace(monitor.Target))
            {
                yield return new ConfigProblem("target", "an http monitor needs a target URL, e.g. https://www.example.com/");
            }
            else if (!Uri.TryCreate(monitor.Target, UriKind.Absolute, out var uri)
                     || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ConfigProblem("target", $"'{monitor.Target}' is not an http or https URL");
            }
        }

        if (!IsToken(Method))
        {
            yield return new ConfigProblem("method", $"'{Method}' is not an HTTP method");
        }

        foreach (var (name, value) in Headers)
        {
            if (!IsToken(name))
            {
                yield return new ConfigProblem("headers", $"'{name}' is not a valid header name");
            }
            else if (value.AsSpan().ContainsAny('\r', '\n'))
            {
                yield return new ConfigProblem("headers", $"the value of header '{name}' contains a line break");
            }
        }

        if (MaxBody < 0)
        {
            yield return new ConfigProblem("max_body", $"max_body must be 0 or more bytes, not {MaxBody}");
        }
    }

    /// <summary>An RFC 9110 token: what method and header names are made of.</summary>
    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
