using System.Security.Cryptography;

namespace Candor.Incidents;

/// <summary>Ids in Statuspage's style: 12 characters of lower-case letters and digits.</summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 12);
}
