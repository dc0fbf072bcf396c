using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Web;

/// <summary>
/// Reads a request body strictly: malformed JSON, an unknown field, a missing required field or a value that
/// is not one of an enum's names is a 400 problem that names the field, never a guess and never a stack trace.
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <param name="whenEmpty">What an empty body means; null when a body is required.</param>
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, CancellationToken cancellationToken, T? whenEmpty = null)
        where T : class
    {
        if (request.ContentLength == 0)
        {
            return whenEmpty is null
                ? (null, Problems.InvalidBody(null, "the request has no body; send a JSON object"))
                : (whenEmpty, null);
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken);
            return body is null
                ? (null, Problems.InvalidBody(null, "the body is null; send a JSON object"))
                : (body, null);
        }
        catch (JsonException exception)
        {
            var field = FieldOf(exception.Path);
            return (null, Problems.InvalidBody(field, Explain<T>(exception, field)));
        }
    }

    private static string? FieldOf(string? path) =>
        path is null or "$" ? null : path.TrimStart('$', '.').Split('.', '[')[0];

    private static string Explain<T>(JsonException exception, string? field)
    {
        var message = exception.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var known = string.Join(", ", typeof(T).GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)));
            return $"unknown field '{field ?? UnknownName(message)}'; the fields are: {known}";
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return message[message.IndexOf("missing", StringComparison.Ordinal)..].TrimEnd('.');
        }

        var property = typeof(T).GetProperties()
            .FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == field);
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type is { IsEnum: true })
        {
            var names = string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));
            return $"'{field}' must be one of: {names}";
        }

        return field is null
            ? "the body is not valid JSON"
            : $"'{field}' has the wrong type{(type is null ? "" : $": expected {Describe(type)}")}";
    }

    private static string UnknownName(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : "?";
    }

    private static string Describe(Type type) =>
        type == typeof(string) ? "a string"
        : type == typeof(bool) ? "true or false"
        : type.IsAssignableTo(typeof(System.Collections.IEnumerable)) ? "a list"
        : type.GetCustomAttribute<JsonConverterAttribute>() is null && type.IsPrimitive ? "a number"
        : "an object";
}
