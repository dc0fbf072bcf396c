using Candor.Configuration;

namespace Candor.Tests.Configuration;

public sealed class VariableSubstitutionTests
{
    private static ConfigLoadResult Load(string yaml, Dictionary<string, string> variables) =>
        ConfigLoader.LoadText(yaml, "candor.yaml", name => variables.GetValueOrDefault(name), TestKinds.All);

    [Fact]
    public void It_substitutes_a_variable_in_a_value()
    {
        var result = Load("storage: ${STORAGE}\npage: { name: \"Status of ${COMPANY}\" }",
            new() { ["STORAGE"] = "postgres://db/candor", ["COMPANY"] = "Acme" });

        Assert.Equal("postgres://db/candor", result.Config!.Storage);
        Assert.Equal("Status of Acme", result.Config.Page.Name);
    }

    [Fact]
    public void It_uses_the_default_when_the_variable_is_unset_or_empty()
    {
        var result = Load("page: { name: \"${PAGE_NAME:-Acme Status}\", url: \"${PAGE_URL:-https://status.acme.example}\" }",
            new() { ["PAGE_URL"] = "" });

        Assert.Equal("Acme Status", result.Config!.Page.Name);
        Assert.Equal("https://status.acme.example", result.Config.Page.Url);
    }

    [Fact]
    public void It_keeps_a_doubled_dollar_as_a_literal()
    {
        var result = Load("page: { name: \"costs $${PRICE}\" }", []);

        Assert.Equal("costs ${PRICE}", result.Config!.Page.Name);
    }

    [Fact]
    public void It_reports_a_missing_variable_at_its_position()
    {
        var result = Load("""
            components:
              - { id: web, name: Website }
              - { id: mail, name: "Mail ${SMTP_PASSWORD}" }
            """, []);

        Assert.Null(result.Config);
        Assert.Equal(
            ["candor.yaml:3:29: environment variable 'SMTP_PASSWORD' is not set (write ${SMTP_PASSWORD:-default} to give a default)"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void It_does_not_substitute_in_keys()
    {
        var result = Load("${KEY}: x", new() { ["KEY"] = "storage" });

        Assert.Equal(["1:1: unknown key '${KEY}'; known keys: components, incidents, locations, maintenance, monitors, notifications, page, retention, storage"],
            result.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}"));
    }
}
