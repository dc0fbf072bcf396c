using HandlebarsDotNet;

namespace Candor.Notifications;

/// <summary>
/// The e-mail templates: Handlebars files, built in, each replaceable by a file of the same name in the folder
/// that <c>notifications.templates</c> names (<c>incident.txt.hbs</c>, <c>incident.html.hbs</c>,
/// <c>confirm.txt.hbs</c>, <c>confirm.html.hbs</c>, <c>maintenance.txt.hbs</c>, <c>maintenance.html.hbs</c>).
/// Plain-text templates are not HTML-escaped; HTML ones are.
/// </summary>
public sealed class MessageTemplates
{
    private static readonly string[] Names =
        ["incident.txt", "incident.html", "confirm.txt", "confirm.html", "maintenance.txt", "maintenance.html"];

    private readonly Dictionary<string, HandlebarsTemplate<object, object>> _compiled;

    /// <param name="folder">Where a deployment's own templates are, if anywhere.</param>
    public MessageTemplates(string? folder)
    {
        var text = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        var html = Handlebars.Create();
        _compiled = Names.ToDictionary(
            name => name,
            name => (name.EndsWith(".html", StringComparison.Ordinal) ? html : text).Compile(Source(folder, name + ".hbs")));
    }

    public string Render(string name, object model) => _compiled[name](model);

    private static string Source(string? folder, string file)
    {
        if (folder is not null && Path.Combine(folder, file) is var own && File.Exists(own))
        {
            return File.ReadAllText(own);
        }

        using var stream = typeof(MessageTemplates).Assembly.GetManifestResourceStream("Candor.Templates." + file)
            ?? throw new InvalidOperationException($"The built-in template {file} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
