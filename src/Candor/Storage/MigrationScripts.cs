using System.Globalization;

namespace Candor.Storage;

/// <summary>One versioned schema script, embedded from <c>Storage/Migrations/{dialect}/NNNN_name.sql</c>.</summary>
internal sealed record MigrationScript(int Version, string Name, string Sql);

internal static class MigrationScripts
{
    /// <summary>The scripts of one dialect, oldest first.</summary>
    public static IReadOnlyList<MigrationScript> Load(string folder)
    {
        var assembly = typeof(MigrationScripts).Assembly;
        var prefix = $"Candor.Storage.Migrations.{folder}.";
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(resource =>
            {
                var name = resource[prefix.Length..^".sql".Length];
                var separator = name.IndexOf('_', StringComparison.Ordinal);
                if (separator <= 0 || !int.TryParse(name[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    throw new InvalidOperationException($"Migration '{resource}' is not named NNNN_description.sql.");
                }

                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream);
                return new MigrationScript(version, name, reader.ReadToEnd());
            })
            .OrderBy(script => script.Version)
            .ToList();

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No migrations are embedded for '{folder}'.");
        }

        var duplicate = scripts.GroupBy(script => script.Version).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Migrations {string.Join(" and ", duplicate.Select(script => script.Name))} share version {duplicate.Key}.");
        }

        return scripts;
    }
}
