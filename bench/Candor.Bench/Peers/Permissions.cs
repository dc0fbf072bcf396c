namespace Candor.Bench.Peers;

/// <summary>Modes for what peers running as other users (nginx's workers, PostgreSQL) must reach.</summary>
internal static class Permissions
{
    public const UnixFileMode WorldReadableDirectory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public const UnixFileMode WorldReadableFile =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static bool RunningAsRoot => Environment.UserName == "root";
}
