using System.Net.Http.Headers;

namespace Candor.Notifications;

/// <summary>The one way notifications reach HTTP: a POST of JSON, where anything but 2xx is a failed delivery.</summary>
public sealed class NotificationHttp(IHttpClientFactory factory)
{
    public const string ClientName = "notifications";

    public async Task PostJsonAsync(
        string url, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await factory.CreateClient(ClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new DeliveryException($"POST {Redacted(url)} failed: {exception.Message}", retryable: true, exception);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var code = (int)response.StatusCode;
            throw new DeliveryException(
                $"POST {Redacted(url)} answered {code} {response.ReasonPhrase}", retryable: code is 408 or 429 or >= 500);
        }
    }

    /// <summary>Chat webhook URLs are secrets in their path, so errors show only where they point.</summary>
    private static string Redacted(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) + "/…" : "the URL";
}
