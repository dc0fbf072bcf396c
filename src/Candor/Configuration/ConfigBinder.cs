using System.Collections;
using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Reflection;
using System.Text;
using Candor.Maintenance;
using Candor.Monitoring;
using Candor.Monitoring.Conditions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Candor.Configuration;

/// <summary>
/// Binds YAML nodes onto the config records by reflection: key <c>snake_case</c> to property <c>PascalCase</c>, with
/// the property initialisers as defaults. A value that does not bind is reported and leaves the default in place, so
/// that binding and validation go on and find every other problem too.
/// </summary>
internal sealed class ConfigBinder(Func<string, string?> variables, IReadOnlyList<CheckKind> kinds, Action<Position, string> report)
{
    private static readonly PropertyInfo SettingsProperty = typeof(MonitorConfig).GetProperty(nameof(MonitorConfig.Settings))!;

    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, string>> EnumNamesByType = new();

    private readonly NullabilityInfoContext _nullability = new();
    private readonly Dictionary<Type, IReadOnlyDictionary<string, PropertyInfo>> _keysByType = [];

    /// <summary>
    /// Whether each property may be set to null, read from its attributes once rather than for every record that
    /// sets it: a hundred thousand monitors of six keys read them 600,000 times.
    /// </summary>
    private readonly Dictionary<PropertyInfo, bool> _nullableByProperty = [];

    /// <summary>The problems of substituting one scalar's variables; one list for all of them.</summary>
    private readonly List<SubstitutionProblem> _substitutionProblems = [];

    private readonly Dictionary<MonitorConfig, CheckKind> _kindOf = new(ReferenceEqualityComparer.Instance);

    /// <summary>Set while a type's settings are bound, so that their records know the monitor they belong to.</summary>
    private MonitorConfig? _settingsOwner;

    public ConfigPositions Positions { get; } = new();

    /// <summary>The check kind of each monitor whose type is known.</summary>
    public IReadOnlyDictionary<MonitorConfig, CheckKind> Kinds => _kindOf;

    /// <returns>The bound config, or null when the document is not a mapping at all.</returns>
    public CandorConfig? BindDocument(YamlNode? root)
    {
        if (root is null || IsNull(root))
        {
            var empty = new CandorConfig();
            Positions.AddRecord(empty, new Position(1, 1), null);
            return empty;
        }

        return TryBind(root, typeof(CandorConfig), "the config", nullable: false, out var config) ? (CandorConfig?)config : null;
    }

    private bool TryBind(YamlNode node, Type type, string what, bool nullable, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(type);
        if (IsNull(node))
        {
            if (nullable || underlying is not null)
            {
                return true;
            }

            report(At(node), $"{what} needs a value");
            return false;
        }

        type = underlying ?? type;
        if (ListItemType(type) is { } item)
        {
            return TryBindList(node, item, what, out value);
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return TryBindDictionary(node, valueType, out value);
        }

        if (IsRecord(type))
        {
            value = BindRecord(node, type);
            return value is not null;
        }

        if (!TryScalar(node, type, out var scalar, out var text))
        {
            return false;
        }

        if (type == typeof(Condition) || type == typeof(ValueCapture))
        {
            try
            {
                value = type == typeof(Condition) ? ConditionParser.Parse(text) : ValueCapture.Parse(text);
                return true;
            }
            catch (ConditionSyntaxException e)
            {
                report(At(scalar, e.Offset), e.Message);
                return false;
            }
        }

        (value, var problem) = Convert(text, type);
        if (problem is not null)
        {
            report(At(node), problem);
            return false;
        }

        return true;
    }

    private object? BindRecord(YamlNode node, Type type)
    {
        if (node is not YamlMappingNode mapping)
        {
            report(At(node), $"expected {Describe(type)}, not {DescribeNode(node)}");
            return null;
        }

        var record = Activator.CreateInstance(type)!;
        Positions.AddRecord(record, At(node), _settingsOwner);
        if (record is MonitorConfig monitor)
        {
            BindMonitor(mapping, monitor);
        }
        else
        {
            var keys = KeysOf(type);
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                if (KeyName(keyNode) is not { } key)
                {
                    continue;
                }

                if (keys.TryGetValue(key, out var property))
                {
                    BindProperty(record, property, key, keyNode, valueNode);
                }
                else
                {
                    report(At(keyNode), UnknownKey(key, keys.Keys));
                }
            }
        }

        return record;
    }

    /// <summary>
    /// The type is read first because it decides which further keys exist: the common ones bind to the monitor, the
    /// rest to a new instance of the type's settings record.
    /// </summary>
    private void BindMonitor(YamlMappingNode mapping, MonitorConfig monitor)
    {
        const string typeKey = "type";
        var common = KeysOf(typeof(MonitorConfig));
        CheckKind? kind = null;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is YamlScalarNode { Value: typeKey } && BindProperty(monitor, common[typeKey], typeKey, keyNode, valueNode))
            {
                kind = kinds.FirstOrDefault(k => k.Name == monitor.Type);
                if (kind is null)
                {
                    report(At(valueNode), UnknownType(monitor.Type));
                }
            }
        }

        object? settings = null;
        IReadOnlyDictionary<string, PropertyInfo> own = ReadOnlyDictionary<string, PropertyInfo>.Empty;
        if (kind is not null)
        {
            settings = Activator.CreateInstance(kind.SettingsType)!;
            Positions.AddRecord(settings, At(mapping), monitor);
            SettingsProperty.SetValue(monitor, settings);
            _kindOf[monitor] = kind;
            own = KeysOf(kind.SettingsType);
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (KeyName(keyNode) is not { } key || key == typeKey)
            {
                continue;
            }

            if (common.TryGetValue(key, out var property))
            {
                BindProperty(monitor, property, key, keyNode, valueNode);
            }
            else if (own.TryGetValue(key, out property))
            {
                _settingsOwner = monitor;
                BindProperty(settings!, property, key, keyNode, valueNode);
                _settingsOwner = null;
            }
            else if (kind is not null)
            {
                // With the type unknown its keys are unknown too; that one error is reported above.
                report(At(keyNode), UnknownKey(key, common.Keys.Concat(own.Keys)));
            }
        }
    }

    private bool BindProperty(object record, PropertyInfo property, string key, YamlNode keyNode, YamlNode valueNode)
    {
        IReadOnlyList<Position> items = valueNode is YamlSequenceNode sequence ? [.. sequence.Children.Select(At)] : [];
        Positions.AddKey(record, key, At(keyNode), At(valueNode), items);
        if (!TryBind(valueNode, property.PropertyType, $"'{key}'", IsNullable(property), out var value))
        {
            return false;
        }

        property.SetValue(record, value);
        return true;
    }

    private bool IsNullable(PropertyInfo property)
    {
        if (!_nullableByProperty.TryGetValue(property, out var nullable))
        {
            nullable = _nullability.Create(property).WriteState == NullabilityState.Nullable;
            _nullableByProperty[property] = nullable;
        }

        return nullable;
    }

    private bool TryBindList(YamlNode node, Type item, string what, out object? value)
    {
        value = null;
        if (node is YamlScalarNode scalar)
        {
            var quote = scalar.Style switch
            {
                ScalarStyle.DoubleQuoted => "\"",
                ScalarStyle.SingleQuoted => "'",
                _ => "",
            };
            report(At(node), $"expected a list, not a single value: write [{quote}{scalar.Value}{quote}]");
            return false;
        }

        if (node is not YamlSequenceNode sequence)
        {
            report(At(node), $"expected a list, not {DescribeNode(node)}");
            return false;
        }

        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
        var bound = true;
        foreach (var child in sequence.Children)
        {
            if (TryBind(child, item, $"each item of {what}", nullable: false, out var element))
            {
                list.Add(element);
            }
            else
            {
                bound = false;
            }
        }

        value = list;
        return bound;
    }

    private bool TryBindDictionary(YamlNode node, Type valueType, out object? value)
    {
        value = null;
        if (node is not YamlMappingNode mapping)
        {
            report(At(node), $"expected a mapping of names to values, not {DescribeNode(node)}");
            return false;
        }

        var dictionary = (IDictionary)Activator.CreateInstance(
            typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType), StringComparer.Ordinal)!;
        var bound = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (KeyName(keyNode) is { } key && TryBind(valueNode, valueType, $"'{key}'", nullable: false, out var element))
            {
                dictionary[key] = element;
            }
            else
            {
                bound = false;
            }
        }

        value = dictionary;
        return bound;
    }

    /// <summary>Reads a scalar with its variables substituted; reports lists and mappings where a scalar belongs.</summary>
    private bool TryScalar(YamlNode node, Type type, out YamlScalarNode scalar, out string text)
    {
        text = "";
        if (node is not YamlScalarNode found)
        {
            scalar = null!;
            report(At(node), $"expected {Describe(type)}, not {DescribeNode(node)}");
            return false;
        }

        scalar = found;
        _substitutionProblems.Clear();
        text = VariableSubstitution.Apply(found.Value ?? "", variables, _substitutionProblems);
        foreach (var problem in _substitutionProblems)
        {
            report(At(found, problem.Index), problem.Message);
        }

        return _substitutionProblems.Count == 0;
    }

    /// <returns>The value, or what is wrong with the text as a value of the type.</returns>
    private static (object? Value, string? Problem) Convert(string text, Type type)
    {
        if (type == typeof(string))
        {
            return (text, null);
        }

        if (type == typeof(int) || type == typeof(long))
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            {
                return (null, $"'{text}' is not a whole number");
            }

            return type == typeof(long) ? (whole, null)
                : whole is < int.MinValue or > int.MaxValue ? (null, $"'{text}' is too large")
                : ((int)whole, null);
        }

        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? (number, null)
                : (null, $"'{text}' is not a number");
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(text, out var flag) ? (flag, null) : (null, $"'{text}' is not true or false");
        }

        if (type == typeof(TimeSpan))
        {
            return Duration.TryParse(text, out var duration) ? (duration, null) : (null, $"'{text}' is not a duration: {Duration.Hint}");
        }

        if (type == typeof(DateTimeOffset))
        {
            // A time without an offset would be read in the server's zone: say which zone instead.
            var hasZone = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
            return hasZone && DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                ? (time.ToUniversalTime(), null)
                : (null, $"'{text}' is not a time with its zone: write 2026-12-01T01:00:00Z or 2026-12-01T02:00:00+01:00");
        }

        if (type == typeof(CronSchedule))
        {
            try
            {
                return (CronSchedule.Parse(text), null);
            }
            catch (FormatException error)
            {
                return (null, error.Message);
            }
        }

        if (type == typeof(Quorum))
        {
            return ParseQuorum(text) is { } quorum
                ? (quorum, null)
                : (null, $"'{text}' is not a quorum: use majority or a number of locations, at least 1");
        }

        if (type.IsEnum)
        {
            return EnumNames(type).TryGetValue(text, out var member)
                ? (Enum.Parse(type, member), null)
                : (null, $"'{text}' is not {Describe(type)}");
        }

        throw new NotSupportedException($"config properties of type {type} cannot be bound");
    }

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK",
    ];

    private static Quorum? ParseQuorum(string text) =>
        text == "majority" ? Quorum.Majority
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 ? new Quorum(count)
        : null;

    /// <summary>snake_case name in the file → member name.</summary>
    private static IReadOnlyDictionary<string, string> EnumNames(Type type) =>
        EnumNamesByType.GetOrAdd(type, static type => Enum.GetNames(type).ToDictionary(SnakeCase, name => name, StringComparer.Ordinal));

    /// <summary>
    /// The keys of a record: every public settable property, except a settings slot of type object, which is filled
    /// from the type's own keys rather than from a key of its own.
    /// </summary>
    private IReadOnlyDictionary<string, PropertyInfo> KeysOf(Type type)
    {
        if (!_keysByType.TryGetValue(type, out var keys))
        {
            keys = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                .Where(p => !(p.Name == nameof(MonitorConfig.Settings) && p.PropertyType == typeof(object)))
                .ToDictionary(p => SnakeCase(p.Name), StringComparer.Ordinal);
            _keysByType[type] = keys;
        }

        return keys;
    }

    private string? KeyName(YamlNode node)
    {
        if (node is YamlScalarNode { Value: { } name })
        {
            return name;
        }

        report(At(node), $"a key must be a plain name, not {DescribeNode(node)}");
        return null;
    }

    private static string UnknownKey(string key, IEnumerable<string> known)
    {
        var names = known.Order(StringComparer.Ordinal).ToList();
        return Suggestions.Closest(key, names) is { } close
            ? $"unknown key '{key}' — did you mean '{close}'?"
            : $"unknown key '{key}'; known keys: {string.Join(", ", names)}";
    }

    private string UnknownType(string type)
    {
        if (kinds.Count == 0)
        {
            return $"unknown monitor type '{type}'; no monitor types are available";
        }

        var names = kinds.Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
        var known = $"Known types: {string.Join(", ", names)}";
        return Suggestions.Closest(type, names) is { } close
            ? $"unknown monitor type '{type}' — did you mean '{close}'? {known}"
            : $"unknown monitor type '{type}'. {known}";
    }

    /// <summary>The value type of a mapping from names, such as headers (to strings) or captures (to <see cref="ValueCapture"/>).</summary>
    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? ListItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    private static bool IsRecord(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a duration",
        _ when type == typeof(Quorum) => "majority or a number of locations",
        _ when type == typeof(DateTimeOffset) => "a time such as 2026-12-01T01:00:00Z",
        _ when type == typeof(CronSchedule) => "a cron expression such as '0 2 * * SUN'",
        _ when type == typeof(Condition) => "a condition",
        _ when type == typeof(ValueCapture) => "json $.path or header[Name]",
        _ when type == typeof(string) => "text",
        { IsEnum: true } => $"one of: {string.Join(", ", EnumNames(type).Keys)}",
        _ => "a mapping of keys",
    };

    private static string DescribeNode(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "an alias",
    };

    private static string SnakeCase(string name)
    {
        var snake = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0
                && (!char.IsUpper(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }

    private static Position At(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

    /// <summary>
    /// A character inside a scalar written on one line: its column counts the opening quote of a quoted scalar. For
    /// scalars over several lines, the scalar's own start is the best honest answer.
    /// </summary>
    private static Position At(YamlScalarNode scalar, int offset) =>
        scalar.Start.Line == scalar.End.Line && scalar.Style is ScalarStyle.Plain or ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
            ? new((int)scalar.Start.Line, (int)scalar.Start.Column + offset + (scalar.Style == ScalarStyle.Plain ? 0 : 1))
            : At(scalar);
}
