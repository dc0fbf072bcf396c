namespace Candor.Tests.Network;

/// <summary>
/// The tests that build network namespaces run one at a time: each picks its subnet by looking at what is in use,
/// and their loss and timings should not compete with each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NetworkNamespaceCollection
{
    public const string Name = "network namespaces";
}
