using System.Diagnostics;
using Candor.Monitoring.Checks.Dns;
using Xunit.Abstractions;

namespace Candor.Tests.Dns;

/// <summary>
/// Feeds the parser a million broken messages, mostly valid responses with a few mutations each, and checks that
/// nothing but <see cref="DnsFormatException"/> ever comes out. The seed is fixed so that a failure reproduces.
/// </summary>
public sealed class DnsFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private const int Packets = 1_000_000;
    private const int Shards = 8;

    [Fact]
    public void A_million_mutated_messages_raise_nothing_but_DnsFormatException()
    {
        var corpus = Corpus();
        Assert.All(corpus, packet => DnsMessage.Parse(packet));
        var parsed = 0;
        var clock = Stopwatch.StartNew();

        // Each shard has its own seed, so the packets do not depend on how the shards share the cores.
        Parallel.For(0, Shards, shard =>
        {
            var random = new Random(Seed + shard);
            var parsedHere = 0;
            for (var i = 0; i < Packets / Shards; i++)
            {
                var packet = random.Next(20) == 0 ? RandomBytes(random) : Mutate(corpus, random);
                try
                {
                    DnsMessage.Parse(packet);
                    parsedHere++;
                }
                catch (DnsFormatException)
                {
                    // The one exception the parser may throw.
                }
                catch (Exception e)
                {
                    Assert.Fail(
                        $"packet {i} of shard {shard} (seed {Seed + shard}) raised {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(packet)}");
                }
            }

            Interlocked.Add(ref parsed, parsedHere);
        });

        clock.Stop();
        output.WriteLine(
            $"{Packets:N0} packets in {clock.Elapsed.TotalSeconds:F2}s; {parsed:N0} parsed, {Packets - parsed:N0} rejected");

        // Both outcomes must be common, or the mutations are too mild or too wild to explore the parser.
        Assert.InRange(parsed, Packets / 100, Packets - (Packets / 100));
    }

    private static byte[] Mutate(byte[][] corpus, Random random)
    {
        var packet = new List<byte>(corpus[random.Next(corpus.Length)]);
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations && packet.Count > 0; m++)
        {
            var at = random.Next(packet.Count);
            switch (random.Next(9))
            {
                case 0:
                    packet[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    packet.RemoveRange(at, packet.Count - at);
                    break;
                case 2:
                    packet.InsertRange(at, RandomBytes(random, 1 + random.Next(8)));
                    break;
                case 3:
                    packet.RemoveRange(at, Math.Min(1 + random.Next(8), packet.Count - at));
                    break;
                case 4:
                    // A count in the header: small ones reach further into the sections than huge ones.
                    var count = 4 + (2 * random.Next(4));
                    if (packet.Count > count + 1)
                    {
                        var value = random.Next(2) == 0 ? random.Next(8) : random.Next(0x10000);
                        packet[count] = (byte)(value >> 8);
                        packet[count + 1] = (byte)value;
                    }

                    break;
                case 5:
                    packet[at] = (byte)random.Next(256);
                    break;
                case 6:
                    packet[at] = (byte)(0xC0 | random.Next(2));
                    if (at + 1 < packet.Count)
                    {
                        packet[at + 1] = (byte)random.Next(256);
                    }

                    break;
                case 7:
                    var other = corpus[random.Next(corpus.Length)];
                    var from = random.Next(other.Length);
                    packet.RemoveRange(at, packet.Count - at);
                    packet.AddRange(other.AsSpan(from).ToArray());
                    break;
                default:
                    var length = Math.Min(1 + random.Next(16), packet.Count - at);
                    packet.InsertRange(random.Next(packet.Count), packet.GetRange(at, length));
                    break;
            }
        }

        return [.. packet];
    }

    private static byte[] RandomBytes(Random random) => RandomBytes(random, random.Next(600));

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// Valid messages that between them use every record type, compression and EDNS. Small ones: a mutation then
    /// more often lands on structure than on plain data, and each parse is cheap.
    /// </summary>
    private static byte[][] Corpus()
    {
        const int Question = 12;
        const int Zone = 16;
        var addresses = new PacketBuilder().Header(answers: 3, additional: 1)
            .Question("www.acme.example", DnsRecordType.A)
            .Record(o => o.Pointer(Question), DnsRecordType.CNAME, 300, d => d.Labels("edge").Pointer(Zone))
            .Record(o => o.Labels("edge").Pointer(Zone), DnsRecordType.A, 300, d => d.Bytes(192, 0, 2, 10))
            .Record(o => o.Pointer(Question), DnsRecordType.AAAA, 300, d => d.Bytes(new byte[16]))
            .Opt(payloadSize: 1232, ttl: 0x0100_8000, options: [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8])
            .ToArray();
        var mail = new PacketBuilder().Header(answers: 3)
            .Question("www.acme.example", DnsRecordType.MX)
            .Record(o => o.Pointer(Zone), DnsRecordType.MX, 300, d => d.UInt16(10).Labels("mail").Pointer(Zone))
            .Record(o => o.Pointer(Zone), DnsRecordType.TXT, 300, d => d.Bytes(11).Text("v=spf1 -all").Bytes(0))
            .Record(o => o.Pointer(Zone), DnsRecordType.CAA, 300, d => d.Bytes(0, 5).Text("issuefoo.example"))
            .ToArray();
        var nxdomain = new PacketBuilder().Header(flags: PacketBuilder.ResponseFlags | 3, authority: 1, additional: 1)
            .Question("nope.acme.example", DnsRecordType.A)
            .Record(
                o => o.Pointer(17),
                DnsRecordType.SOA,
                60,
                d => d.Labels("ns1").Pointer(17).Labels("hostmaster").Pointer(17).UInt32(1).UInt32(2).UInt32(3).UInt32(4).UInt32(5))
            .Record(o => o.Labels("ns1").Pointer(17), DnsRecordType.A, 300, d => d.Bytes(192, 0, 2, 53))
            .ToArray();
        var reverse = new PacketBuilder().Header(answers: 2)
            .Question("10.2.0.192.in-addr.arpa", DnsRecordType.PTR)
            .Record(o => o.Pointer(Question), DnsRecordType.PTR, 300, d => d.Labels("www.acme").Pointer(Question + 3))
            .Record(o => o.Pointer(Question), (DnsRecordType)65280, 0, d => d.Bytes(10, 0, 0, 1))
            .ToArray();
        var delegation = new PacketBuilder().Header(authority: 2)
            .Question("acme.example", DnsRecordType.NS)
            .Record(o => o.Pointer(Question), DnsRecordType.NS, 0, d => d.Labels("ns1").Pointer(Question))
            .Record(o => o.Pointer(Question), DnsRecordType.NS, 0, d => d.Labels("ns2").Pointer(Question))
            .ToArray();
        return
        [
            addresses, mail, nxdomain, reverse, delegation,
            new DnsQuery(0x4242, "www.acme.example", DnsRecordType.TXT).Encode(),
        ];
    }
}
