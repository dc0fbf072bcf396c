using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Candor.AdminConsole;

/// <summary>HTML that is safe to write as it is: markup the console wrote, or text that went through the encoder.</summary>
public readonly record struct Markup(string Value)
{
    public static readonly Markup Empty = new("");

    public override string ToString() => Value;
}

/// <summary>
/// Builds HTML from interpolated strings in which every value is encoded unless it is already <see cref="Markup"/>.
/// Encoding is the default, not a call to remember: a user's text can only reach a page as text.
/// </summary>
public sealed class HtmlWriter
{
    internal StringBuilder Builder { get; } = new();

    public HtmlWriter Append([InterpolatedStringHandlerArgument("")] ref HtmlHandler html)
    {
        html.Finish();
        return this;
    }

    public HtmlWriter Append(Markup markup)
    {
        Builder.Append(markup.Value);
        return this;
    }

    public Markup ToMarkup() => new(Builder.ToString());

    public override string ToString() => Builder.ToString();
}

public static class Html
{
    /// <summary>A fragment of HTML whose interpolated values are encoded.</summary>
    public static Markup Of(ref HtmlHandler html) => html.Finish();

    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    /// <summary>A path segment for a link: escaped for the URL, then for the attribute it sits in.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}

[InterpolatedStringHandler]
public ref struct HtmlHandler
{
    private readonly StringBuilder _builder;
    private readonly bool _owned;

    public HtmlHandler(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + (formattedCount * 16));
        _owned = true;
    }

    /// <remarks>The lengths are the compiler's sizing hint; the writer's builder grows on its own.</remarks>
    public HtmlHandler(int literalLength, int formattedCount, HtmlWriter writer)
    {
        _builder = writer.Builder;
        _owned = false;
    }

    public readonly void AppendLiteral(string literal) => _builder.Append(literal);

    public readonly void AppendFormatted(Markup markup) => _builder.Append(markup.Value);

    public readonly void AppendFormatted(string? text) => _builder.Append(HtmlEncoder.Default.Encode(text ?? ""));

    public readonly void AppendFormatted<T>(T value, string? format = null)
        where T : IFormattable =>
        _builder.Append(HtmlEncoder.Default.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    internal readonly Markup Finish() => _owned ? new Markup(_builder.ToString()) : Markup.Empty;
}
