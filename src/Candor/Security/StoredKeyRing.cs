using System.Xml.Linq;
using Candor.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Candor.Security;

/// <summary>
/// ASP.NET's data-protection key ring, kept in the store. Console cookies and anti-forgery tokens are protected
/// with these keys; with the default ring, in a folder of each machine, a cookie one replica issued would mean
/// nothing to another sharing the same database.
/// </summary>
/// <remarks>
/// The keys are stored as ASP.NET writes them, not encrypted again: the database is the trust boundary, as it is
/// for the webhook signing secrets stored beside them. Whoever can read it could forge a console session with
/// these keys, just as they could sign webhooks with those secrets. Encrypting the keys would need a secret kept
/// outside the database and handed to every replica, a deployment step of its own; until there is one, the
/// database and its backups are to be guarded like the console itself.
/// </remarks>
public sealed class StoredKeyRing(ICandorStore store) : IXmlRepository
{
    /// <summary>
    /// What protected data is bound to besides the keys. Fixed, because ASP.NET's default is the content root, which
    /// differs between machines and would keep each replica's cookies unreadable to the others even with one ring.
    /// </summary>
    public const string ApplicationName = "Candor";

    // IXmlRepository is synchronous. ASP.NET reads the ring at start-up and then about once a day, and writes a key
    // every ninety days, so waiting on the store here blocks a thread rarely and briefly.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.GetDataProtectionKeysAsync(CancellationToken.None).GetAwaiter().GetResult().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        store.AddDataProtectionKeyAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting), CancellationToken.None)
            .GetAwaiter().GetResult();
}
