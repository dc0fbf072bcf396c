using Candor.Configuration;

namespace Candor.Tests.Configuration;

public sealed class YamlSyntaxErrorTests
{
    [Fact]
    public void It_reports_a_yaml_syntax_error_where_the_parser_found_it()
    {
        var result = TestKinds.Load("""
            page:
              name: Acme
             storage: sqlite:data/candor.db
            """);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, 2), (error.Line, error.Column));
        Assert.StartsWith("invalid YAML: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void It_points_at_a_bracket_that_is_never_closed()
    {
        var result = TestKinds.Load("""
            locations: [ { id: eu-west }, { id: us-east }
            storage: sqlite:data/candor.db
            """);

        Assert.Equal(["candor.yaml:1:12: '[' is not closed"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void It_refuses_a_second_document()
    {
        var result = TestKinds.Load("storage: sqlite:a.db\n---\nstorage: sqlite:b.db\n");

        Assert.Equal(["candor.yaml:3:1: a config file holds one YAML document; remove this one or the '---' before it"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void It_names_the_file_as_given_when_it_cannot_be_read()
    {
        var result = ConfigLoader.LoadFile("no-such-dir/candor.yaml", _ => null, TestKinds.All);

        Assert.Equal(["no-such-dir/candor.yaml:1:1: the file does not exist"], result.Errors.Select(e => e.ToString()));
    }
}
