namespace Candor.Tests.Storage;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Key_ring_elements_one_store_adds_are_read_by_another_in_the_order_they_were_added()
    {
        const string Key = """<key id="7f3c" version="1"><creationDate>2026-11-01T12:00:00Z</creationDate></key>""";
        const string Revocation = """<revocation version="1"><revocationDate>2026-11-02T12:00:00Z</revocationDate><key id="*" /></revocation>""";
        var replica = Open(Storage);
        Assert.Empty(await replica.GetDataProtectionKeysAsync(Ct));

        await Store.AddDataProtectionKeyAsync("key-7f3c", Key, Ct);
        await replica.AddDataProtectionKeyAsync("revocation-1", Revocation, Ct);
        await Store.AddDataProtectionKeyAsync("key-7f3c", Key, Ct);

        Assert.Equal([Key, Revocation, Key], await replica.GetDataProtectionKeysAsync(Ct));
    }
}
