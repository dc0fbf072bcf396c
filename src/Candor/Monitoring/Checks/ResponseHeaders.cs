using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Candor.Monitoring.Checks;

/// <summary>
/// A response's headers, gathered into a dictionary only when a condition or a transaction's step first reads them:
/// most checks judge the status alone, and gathering every header of every response cost a check about 3 µs, 1.7 % of
/// the CPU of 100,000 monitors' checks. The response may be disposed by then; its headers stay readable.
/// </summary>
internal sealed class ResponseHeaders(HttpResponseMessage response) : IReadOnlyDictionary<string, string>
{
    private Dictionary<string, string>? _gathered;

    private Dictionary<string, string> Gathered => _gathered ??= Gather(response);

    public string this[string key] => Gathered[key];

    public IEnumerable<string> Keys => Gathered.Keys;

    public IEnumerable<string> Values => Gathered.Values;

    public int Count => Gathered.Count;

    public bool ContainsKey(string key) => Gathered.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => Gathered.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Gathered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static Dictionary<string, string> Gather(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            headers[name] = string.Join(", ", values);
        }

        return headers;
    }
}
