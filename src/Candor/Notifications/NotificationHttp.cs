using System.Net.Http.Headers;
using Candor.Configuration;

namespace Candor.Notifications;

/// <summary>The one way notifications reach HTTP: a POST of JSON, where anything but 2xx is a failed delivery.</summary>
public sealed class NotificationHttp(IHttpClientFactory factory, CandorConfig config)
{
    public const string ClientName = "notifications";

    /// <summary>The client for subscribers' webhooks, which connects only to public addresses.</summary>
    public const string PublicOnlyClientName = "notifications-public";

    /// <summary>Posts to a channel of the config, which the operator wrote and may point anywhere.</summary>
    public Task PostJsonAsync(string url, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
        PostAsync(ClientName, url, body, headers, cancellationToken);

    /// <summary>Posts to a subscriber's webhook: see <see cref="WebhookAddresses"/>.</summary>
    public Task PostToSubscriberAsync(string url, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        if (config.Notifications.PrivateWebhooks)
        {
            return PostAsync(ClientName, url, body, headers, cancellationToken);
        }

        // Subscribed before this rule, or through the store: the address in the URL itself is checked here too.
        return Uri.TryCreate(url, UriKind.Absolute, out var parsed) && WebhookAddresses.HostProblem(parsed) is { } problem
            ? throw new DeliveryException($"POST {Redacted(url)} refused: {WebhookAddresses.Refusal(problem)}", retryable: false)
            : PostAsync(PublicOnlyClientName, url, body, headers, cancellationToken);
    }

    private async Task PostAsync(
        string clientName, string url, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
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
            response = await factory.CreateClient(clientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.InnerException is PrivateAddressException refused)
        {
            throw new DeliveryException($"POST {Redacted(url)} refused: {refused.Message}", retryable: false, exception);
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
            var redirect = response.Headers.Location is { } location
                ? $", a redirect to {Redacted(new Uri(new Uri(url), location).ToString())}, which webhooks do not follow"
                : "";
            throw new DeliveryException(
                $"POST {Redacted(url)} answered {code} {response.ReasonPhrase}{redirect}", retryable: code is 408 or 429 or >= 500);
        }
    }

    /// <summary>Chat webhook URLs are secrets in their path, so errors show only where they point.</summary>
    private static string Redacted(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) + "/…" : "the URL";
}
