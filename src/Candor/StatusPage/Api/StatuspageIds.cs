using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Candor.StatusPage.Api;

/// <summary>Ids that Candor derives rather than stores, in Statuspage's shape: 12 lower-case letters and digits.</summary>
public static class StatuspageIds
{
    private const int Length = 12;
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// A component group exists only as a <c>group:</c> name in the configuration, so its id is a hash of the
    /// name: the same on every server and across restarts, and new when the group is renamed.
    /// </summary>
    public static string GroupId(string name) => Derive(name);

    /// <summary>The page's id, from its name for the same reason: stable, and nothing to configure.</summary>
    public static string PageId(string pageName) => Derive("page\n" + pageName);

    private static string Derive(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var value = BinaryPrimitives.ReadUInt64BigEndian(hash);
        Span<char> id = stackalloc char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            id[i] = Digits[(int)(value % 36)];
            value /= 36;
        }

        return new string(id);
    }
}
