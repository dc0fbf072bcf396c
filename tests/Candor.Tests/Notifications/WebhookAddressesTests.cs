using System.Net;
using System.Net.Sockets;
using Candor.Configuration;
using Candor.Notifications;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Notifications;

/// <summary>Which addresses a subscriber's webhook may reach, and that a connection goes only to those.</summary>
public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:93.184.215.14")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:5db8:d70e::1")]
    public void Internet_addresses_are_public(string address) =>
        Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("100.64.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    public void Loopback_private_link_local_and_reserved_addresses_are_not(string address) =>
        Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "127.0.0.1 is not a public address")]
    [InlineData("http://[::1]/hook", "::1 is not a public address")]
    [InlineData("http://169.254.169.254/latest/meta-data", "169.254.169.254 is not a public address")]
    [InlineData("http://2130706433/hook", "127.0.0.1 is not a public address")]
    [InlineData("http://0x7f.1/hook", "127.0.0.1 is not a public address")]
    [InlineData("http://[::ffff:a9fe:a9fe]/latest", "::ffff:169.254.169.254 is not a public address")]
    [InlineData("http://LOCALHOST/hook", "localhost is always this machine")]
    [InlineData("https://api.localhost./hook", "api.localhost is always this machine")]
    [InlineData("https://hooks.example.com/status", null)]
    [InlineData("https://93.184.215.14/status", null)]
    public void A_url_is_judged_by_its_host_alone_when_it_is_subscribed(string url, string? problem) =>
        Assert.Equal(problem, WebhookAddresses.HostProblem(new Uri(url)));

    [Fact]
    public async Task A_name_with_only_private_addresses_gets_no_connection()
    {
        using var listener = Listen();
        var endpoint = new DnsEndPoint("hooks.example.com", Port(listener));

        var refused = await Assert.ThrowsAsync<PrivateAddressException>(async () =>
            await WebhookAddresses.ConnectAsync(endpoint, proxied: false, Resolves("10.0.0.7", "127.0.0.1"), CancellationToken.None));

        Assert.StartsWith("hooks.example.com has no public address (10.0.0.7, 127.0.0.1), and ", refused.Message, StringComparison.Ordinal);
        Assert.Contains(WebhookAddresses.ConfigKey, refused.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task A_proxy_is_connected_to_where_it_is()
    {
        using var listener = Listen();
        var endpoint = new DnsEndPoint("proxy.internal", Port(listener));

        await using var stream = await WebhookAddresses.ConnectAsync(endpoint, proxied: true, Resolves("127.0.0.1"), CancellationToken.None);

        using var accepted = await listener.AcceptSocketAsync();
        Assert.True(accepted.Connected);
    }

    [Fact]
    public async Task A_subscriber_whose_name_now_leads_to_a_private_address_is_refused_for_good_and_gets_nothing()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var port = new Uri(hooks.Url).Port;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) =>
                WebhookAddresses.ConnectAsync(context.DnsEndPoint, proxied: false, Resolves("127.0.0.1"), cancellationToken),
        };
        var http = new NotificationHttp(new OneHandler(handler), new CandorConfig());

        var refused = await Assert.ThrowsAsync<DeliveryException>(() =>
            http.PostToSubscriberAsync($"http://hooks.example.com:{port}/status", "{}"u8.ToArray(), [], CancellationToken.None));

        Assert.False(refused.Retryable);
        Assert.StartsWith(
            $"POST http://hooks.example.com:{port}/… refused: hooks.example.com has no public address (127.0.0.1), and ",
            refused.Message,
            StringComparison.Ordinal);
        Assert.Empty(hooks.Requests);
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>A resolver that answers every name with these addresses, as a name turned to them would.</summary>
    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolves(params string[] addresses) =>
        (_, _) => Task.FromResult(addresses.Select(IPAddress.Parse).ToArray());

    /// <summary>Hands every client the one handler, as the host's factory hands its named client the guarded one.</summary>
    private sealed class OneHandler(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
