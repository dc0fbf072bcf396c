using System.Text;
using Candor.Configuration;
using Candor.Monitoring.Conditions;

namespace Candor.Monitoring.Checks;

/// <summary>The keys of an `http` monitor.</summary>
public sealed record HttpSettings : IValidatableConfig
{
    /// <summary>What conditions on an http response can look at.</summary>
    public static readonly IReadOnlyList<string> Subjects = ["status", "body", "header", "json", "response_time", "cert_expires_in"];

    /// <summary>What a response must satisfy when no conditions are given: that of the monitor, or of one step.</summary>
    public static readonly IReadOnlyList<Condition> DefaultConditions = [ConditionParser.Parse("status < 400")];

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

    /// <summary>
    /// A transaction: requests made in order, each judged by its own conditions, the first that fails failing the
    /// check. The monitor's target is then the base of each step's path, its headers are sent on every step, and its
    /// conditions judge the last response. See <see cref="HttpStep"/>.
    /// </summary>
    public IReadOnlyList<HttpStep> Steps { get; init; } = [];

    /// <summary>The request these settings describe, as the check and the diagnosis of an outage both send it.</summary>
    internal HttpRequestMessage CreateRequest(Uri target)
    {
        var request = new HttpRequestMessage(HttpMethod.Parse(Method.ToUpperInvariant()), target);
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
            else if (!IsHttpUrl(monitor.Target))
            {
                yield return new ConfigProblem("target", $"'{monitor.Target}' is not an http or https URL");
            }
        }

        foreach (var problem in ValidateRequest(Method, Headers).Concat(ValidateSteps()))
        {
            yield return problem;
        }

        if (MaxBody < 0)
        {
            yield return new ConfigProblem("max_body", $"max_body must be 0 or more bytes, not {MaxBody}");
        }
    }

    internal static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The method and the headers of a request, whether of the monitor or of one step.</summary>
    internal static IEnumerable<ConfigProblem> ValidateRequest(string method, IReadOnlyDictionary<string, string> headers)
    {
        if (!IsToken(method))
        {
            yield return new ConfigProblem("method", $"'{method}' is not an HTTP method");
        }

        foreach (var (name, value) in headers)
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
    }

    /// <summary>What only the whole list can see: each variable a step puts in is captured by a step before it.</summary>
    private IEnumerable<ConfigProblem> ValidateSteps()
    {
        if (Steps.Count == 0)
        {
            yield break;
        }

        // Only the default method can be told from one that was written; a written GET is harmless.
        if (Method != "GET")
        {
            yield return new ConfigProblem("method", "with steps, each step has its own method");
        }

        if (Body is not null)
        {
            yield return new ConfigProblem("body", "with steps, each step has its own body");
        }

        var captured = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Steps.Count; i++)
        {
            foreach (var (key, name) in Steps[i].Uses().Where(use => !captured.Contains(use.Name)).DistinctBy(use => use.Name))
            {
                var hint = Steps.Skip(i).Any(later => later.Capture.ContainsKey(name))
                    ? "it is captured only by this step or a later one"
                    : "no step captures it";
                yield return new ConfigProblem(key, $"step {i + 1} uses {{{{{name}}}}}, but {hint}") { In = Steps[i] };
            }

            captured.UnionWith(Steps[i].Capture.Keys);
        }
    }

    /// <summary>An RFC 9110 token: what method and header names are made of.</summary>
    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
