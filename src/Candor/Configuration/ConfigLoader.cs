using Candor.Monitoring;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Candor.Configuration;

/// <summary>One problem in a config file, at the line and column (both 1-based) where it is.</summary>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>Either a valid config, or every error found in it.</summary>
public sealed record ConfigLoadResult(CandorConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null && Errors.Count == 0;
}

/// <summary>
/// Reads <c>candor.yaml</c> in one pass: parse, substitute variables, bind, validate. It never stops at the first
/// problem, so that one run of <c>candor validate</c> shows everything there is to fix.
/// </summary>
public static class ConfigLoader
{
    /// <param name="path">Also the name errors give the file, so they read as the user typed it.</param>
    /// <param name="variables">Looks up `${NAME}`; null when the variable is not set.</param>
    /// <param name="kinds">The monitor types there are; <see cref="CheckCatalog.All"/> when null.</param>
    public static ConfigLoadResult LoadFile(
        string path, Func<string, string?> variables, IReadOnlyList<CheckKind>? kinds = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new ConfigLoadResult(null, [new ConfigError(path, 1, 1, "the file does not exist")]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [new ConfigError(path, 1, 1, $"the file cannot be read: {e.Message}")]);
        }

        return LoadText(text, path, variables, kinds);
    }

    /// <param name="fileName">The name errors give the file.</param>
    /// <param name="variables">Looks up `${NAME}`; null when the variable is not set.</param>
    /// <param name="kinds">The monitor types there are; <see cref="CheckCatalog.All"/> when null.</param>
    public static ConfigLoadResult LoadText(
        string yaml, string fileName, Func<string, string?> variables, IReadOnlyList<CheckKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(variables);
        var errors = new List<ConfigError>();
        void Report(Position at, string message) => errors.Add(new ConfigError(fileName, at.Line, at.Column, message));

        var documents = Parse(yaml, Report);
        if (documents is not null)
        {
            foreach (var extra in documents.Skip(1))
            {
                Report(new((int)extra.RootNode.Start.Line, (int)extra.RootNode.Start.Column),
                    "a config file holds one YAML document; remove this one or the '---' before it");
            }

            var binder = new ConfigBinder(variables, kinds ?? CheckCatalog.All, Report);
            if (binder.BindDocument(documents.Count > 0 ? documents[0].RootNode : null) is { } config)
            {
                new ConfigValidator(binder.Positions, binder.Kinds, Report).Validate(config);
                if (errors.Count == 0)
                {
                    return new ConfigLoadResult(config, []);
                }
            }
        }

        return new ConfigLoadResult(null, [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
    }

    /// <returns>The documents, or null when the text is not YAML (the reason is reported).</returns>
    private static IList<YamlDocument>? Parse(string yaml, Action<Position, string> report)
    {
        var stream = new YamlStream();
        var parser = new DuplicateKeyFilter(new Parser(new StringReader(yaml)), report);
        try
        {
            stream.Load(parser);
            return stream.Documents;
        }
        catch (YamlException e)
        {
            report(new((int)e.Start.Line, (int)e.Start.Column), $"invalid YAML: {e.Message}");
            return null;
        }
        catch (InvalidOperationException) when (parser.OpenFlowCollection is { } open)
        {
            // The scanner throws this, without a position, on some collections left open; the bracket is the cause.
            report(open.At, $"'{open.Bracket}' is not closed");
            return null;
        }
    }
}
