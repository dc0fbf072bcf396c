using System.Net;
using System.Net.Sockets;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks.Dns;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Dns;

/// <summary>What the dns check does with servers that misbehave, played by a fake server.</summary>
public sealed class DnsWireClientTests
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_server_that_never_answers_times_out_at_the_monitor_timeout()
    {
        var clock = new ManualClock();
        await using var server = new FakeDnsServer(_ => []);
        using var deadline = new CancellationTokenSource(QueryTimeout, clock);

        var run = new DnsCheck().RunAsync(Monitor(server.Server), new CheckContext("local", clock), deadline.Token);
        await WaitUntilAsync(() => server.Queries == 1);
        clock.Advance(QueryTimeout);
        var observation = await run;

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal($"DNS query for www.acme.example A to 127.0.0.1:{server.Port} timed out after 5s", observation.FailureMessage);
        Assert.Equal(QueryTimeout, observation.ResponseTime);
    }

    [Theory]
    [InlineData("www.acme.example.", "A", "www.acme.example A")]
    [InlineData(".", "NS", ". NS")]
    [InlineData("192.0.2.10", "PTR", "10.2.0.192.in-addr.arpa PTR")]
    public async Task A_failure_names_the_query_as_it_was_sent(string target, string record, string expected)
    {
        var clock = new ManualClock();
        await using var server = new FakeDnsServer(_ => []);
        using var deadline = new CancellationTokenSource(QueryTimeout, clock);
        var monitor = Monitor(server.Server) with
        {
            Target = target,
            Settings = new DnsSettings { Record = record, Server = server.Server },
        };

        var run = new DnsCheck().RunAsync(monitor, new CheckContext("local", clock), deadline.Token);
        await WaitUntilAsync(() => server.Queries == 1);
        clock.Advance(QueryTimeout);

        Assert.StartsWith($"DNS query for {expected} to ", (await run).FailureMessage);
    }

    [Fact]
    public async Task A_closed_port_is_a_DNS_failure_that_says_so()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var observation = await RunAsync($"127.0.0.1:{port}");

        Assert.Equal(ErrorKind.Dns, observation.Failure);
        Assert.Equal(
            $"DNS query for www.acme.example A to 127.0.0.1:{port} failed: connection refused: nothing listens on that port (ICMP port unreachable or TCP reset)",
            observation.FailureMessage);
    }

    [Fact]
    public async Task Stray_packets_are_ignored_until_the_answer_to_the_query_comes()
    {
        await using var server = new FakeDnsServer(query =>
        {
            var answer = FakeDnsServer.Answer(query, 1, AddressRecord(300, 192, 0, 2, 10));
            var otherId = (byte[])answer.Clone();
            otherId[1] ^= 0xFF;
            var otherQuestion = FakeDnsServer.Answer(
                new DnsQuery((ushort)((query[0] << 8) | query[1]), "evil.example", DnsRecordType.A).Encode(),
                1,
                AddressRecord(300, 203, 0, 113, 66));
            return [[0x01], otherId, otherQuestion, answer];
        });

        var observation = await RunAsync(server.Server);

        Assert.Null(observation.FailureMessage);
        Assert.Equal(["192.0.2.10"], Answers(observation));
    }

    [Fact]
    public async Task The_ttl_is_the_lowest_of_the_answers_of_the_type_asked_for()
    {
        await using var server = new FakeDnsServer(query =>
        [
            FakeDnsServer.Answer(query, 4, b =>
            {
                AddressRecord(300, 192, 0, 2, 10)(b);
                AddressRecord(60, 192, 0, 2, 11)(b);
                b.Record(o => o.Pointer(12), DnsRecordType.TXT, 5, d => d.Bytes(1, (byte)'x'));
                b.Record(o => o.Pointer(12), DnsRecordType.A, 1, d => d.Bytes(192, 0, 2, 12), recordClass: 3);
            }),
        ]);

        var observation = await RunAsync(server.Server);

        Assert.Equal(["192.0.2.10", "192.0.2.11"], Answers(observation));
        Assert.Equal(TimeSpan.FromSeconds(60), observation.Facts["ttl"]);
    }

    [Fact]
    public async Task A_malformed_answer_is_a_protocol_failure()
    {
        await using var server = new FakeDnsServer(query =>
            [FakeDnsServer.Answer(query, 1, b => b.Record(o => o.Pointer(12), DnsRecordType.A, 300, d => d.Bytes(1, 2, 3)))]);

        var observation = await RunAsync(server.Server);

        Assert.Equal(ErrorKind.Protocol, observation.Failure);
        Assert.Equal(
            $"DNS query for www.acme.example A to 127.0.0.1:{server.Port} got a malformed answer: an A record with 3 bytes of data",
            observation.FailureMessage);
    }

    [Fact]
    public async Task A_truncated_answer_whose_TCP_connection_closes_unanswered_is_a_DNS_failure()
    {
        await using var server = new FakeDnsServer(
            query => [FakeDnsServer.Answer(query, 0, _ => { }, flags: PacketBuilder.ResponseFlags | 0x0200)],
            _ => null);

        var observation = await RunAsync(server.Server);

        Assert.Equal(ErrorKind.Dns, observation.Failure);
        Assert.EndsWith("failed: the server closed the TCP connection before the whole answer came", observation.FailureMessage);
        Assert.Equal(2, server.Queries);
    }

    [Fact]
    public async Task A_truncated_answer_that_does_not_even_parse_is_still_asked_again_over_TCP()
    {
        await using var server = new FakeDnsServer(
            query => [[query[0], query[1], 0x83, 0x80, 0, 1, 0, 9]],
            query => FakeDnsServer.Answer(query, 1, AddressRecord(300, 192, 0, 2, 10)));

        var observation = await RunAsync(server.Server);

        Assert.Equal(true, observation.Facts["truncated_retried_over_tcp"]);
        Assert.Equal(["192.0.2.10"], Answers(observation));
    }

    [Fact]
    public async Task A_TCP_answer_to_another_query_is_a_protocol_failure()
    {
        await using var server = new FakeDnsServer(
            query => [FakeDnsServer.Answer(query, 0, _ => { }, flags: PacketBuilder.ResponseFlags | 0x0200)],
            query => FakeDnsServer.Answer([(byte)~query[0], .. query[1..]], 0, _ => { }));

        var observation = await RunAsync(server.Server);

        Assert.Equal(ErrorKind.Protocol, observation.Failure);
        Assert.Contains("is not for the query asked", observation.FailureMessage);
    }

    private static IReadOnlyList<string> Answers(Observation observation) =>
        Assert.IsAssignableFrom<IReadOnlyList<string>>(observation.Facts["answers"]);

    private static Action<PacketBuilder> AddressRecord(uint ttl, params byte[] address) =>
        b => b.Record(o => o.Pointer(12), DnsRecordType.A, ttl, d => d.Bytes(address));

    private static MonitorConfig Monitor(string server) => new()
    {
        Id = "dns-test",
        Type = "dns",
        Target = "www.acme.example",
        Timeout = QueryTimeout,
        Settings = new DnsSettings { Server = server },
    };

    private static async Task<Observation> RunAsync(string server)
    {
        using var deadline = new CancellationTokenSource(QueryTimeout);
        return await new DnsCheck().RunAsync(Monitor(server), new CheckContext("local", TimeProvider.System), deadline.Token);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, patience.Token);
        }
    }
}
