using Candor.Tests.Fixtures;

namespace Candor.Tests.Dns;

/// <summary>The test classes that share one dnsmasq for the whole run.</summary>
[CollectionDefinition(Name)]
public sealed class DnsmasqCollection : ICollectionFixture<DnsmasqServer>
{
    public const string Name = "dnsmasq";
}
