using Candor.Monitoring.Conditions;

namespace Candor.Tests.Conditions;

public sealed class ConditionSyntaxErrorTests
{
    private const string Operators = "==, !=, <, <=, >, >=, contains, not contains, matches, in, not in";

    [Theory]
    [InlineData("status", 6, "expected an operator (" + Operators + ") after 'status'")]
    [InlineData("status is 200", 7, "expected an operator (" + Operators + ") after 'status'")]
    [InlineData("status => 200", 7, "unknown operator '=>'")]
    [InlineData("status = 200", 7, "unknown operator '=' (write == to compare)")]
    [InlineData("status ==", 9, "expected a value after '=='")]
    [InlineData("body contains \"Welcome", 14, "unterminated string")]
    [InlineData("response_time < 30x", 16, "'30x' is not a duration: use 30s, 5m, 2h, 14d")]
    [InlineData("status in 200", 10, "expected a list such as [200, 204] after 'in'")]
    [InlineData("status in [200, 204", 10, "the list is not closed with ']'")]
    [InlineData("status in [200 204]", 15, "expected ',' or ']' in the list")]
    [InlineData("body not has x", 9, "expected contains or in after not")]
    [InlineData("status < fast", 9, "'<' compares numbers or durations, not 'fast'")]
    [InlineData("body contains [a, b]", 14, "'contains' takes one value, not a list")]
    [InlineData("header[Content-Type contains x", 6, "expected ']' to close header[")]
    [InlineData("header == x", 6, "expected a header name in brackets, such as header[Content-Type]")]
    [InlineData("json status == 1", 5, "expected a JSON path after json, such as $.status")]
    [InlineData("json $.items[x] == 1", 13, "expected an index or a quoted name after '['")]
    [InlineData("len(answers >= 1", 12, "expected ')' to close len(")]
    [InlineData("body contains Welcome to Acme", 22, "unexpected 'to' after the value; quote a value that has spaces")]
    [InlineData("200 == status", 0, "expected what to check, such as status, body, header[Name], json $.path or len(answers)")]
    [InlineData("   ", 3, "the condition is empty: write one such as status == 200")]
    public void It_rejects_a_bad_condition_at_the_offset_where_it_goes_wrong(string text, int offset, string message)
    {
        var error = Assert.Throws<ConditionSyntaxException>(() => ConditionParser.Parse(text));

        Assert.Equal(message, error.Message);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void It_rejects_an_invalid_regular_expression_at_the_pattern()
    {
        var error = Assert.Throws<ConditionSyntaxException>(() => ConditionParser.Parse("body matches \"(unclosed\""));

        Assert.StartsWith("invalid regular expression: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(13, error.Offset);
    }
}
