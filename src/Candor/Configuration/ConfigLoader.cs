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

public static class ConfigLoader
{
    /// <param name="variables">Looks up `${NAME}`; null when the variable is not set.</param>
    public static ConfigLoadResult LoadFile(string path, Func<string, string?> variables) =>
        throw new NotImplementedException(path + variables);

    public static ConfigLoadResult LoadText(string yaml, string fileName, Func<string, string?> variables) =>
        throw new NotImplementedException(yaml + fileName + variables);
}
