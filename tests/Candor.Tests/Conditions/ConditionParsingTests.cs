using Candor.Monitoring.Conditions;

namespace Candor.Tests.Conditions;

public sealed class ConditionParsingTests
{
    [Theory]
    [InlineData("status == 200", "status")]
    [InlineData("status != 500", "status")]
    [InlineData("status<400", "status")]
    [InlineData("status <= 399", "status")]
    [InlineData("status >= 200", "status")]
    [InlineData("status in [200, 204]", "status")]
    [InlineData("status not in [500]", "status")]
    [InlineData("body contains \"Welcome\"", "body")]
    [InlineData("body contains 'Welcome'", "body")]
    [InlineData("body contains Welcome", "body")]
    [InlineData("body not contains x", "body")]
    [InlineData("body matches \"^<html.*Welcome\"", "body")]
    [InlineData("header[Content-Type] contains json", "header")]
    [InlineData("json $.status == \"UP\"", "json")]
    [InlineData("json $.items[0].id == 7", "json")]
    [InlineData("json $.count > 3", "json")]
    [InlineData("json $[\"odd name\"] == null", "json")]
    [InlineData("json $ != null", "json")]
    [InlineData("response_time < 800ms", "response_time")]
    [InlineData("cert_expires_in > 14d", "cert_expires_in")]
    [InlineData("packet_loss < 20%", "packet_loss")]
    [InlineData("len(answers) >= 1", "answers")]
    [InlineData("len(json $.items) == 3", "json")]
    [InlineData("answers contains \"1.2.3.4\"", "answers")]
    [InlineData("answers == [1.2.3.4, 5.6.7.8]", "answers")]
    [InlineData("chain_valid == true", "chain_valid")]
    [InlineData("rcode == NOERROR", "rcode")]
    [InlineData("  temperature > -5.5  ", "temperature")]
    public void It_accepts_every_form_and_names_its_subject(string text, string subject)
    {
        var condition = ConditionParser.Parse(text);

        Assert.Equal(subject, condition.Subject);
        Assert.Equal(text, condition.Text);
    }
}
