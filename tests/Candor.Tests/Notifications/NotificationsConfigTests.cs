using Candor.Configuration;

namespace Candor.Tests.Notifications;

public sealed class NotificationsConfigTests
{
    [Theory]
    [InlineData("channels: [ { id: ops, type: pager, url: \"https://x.example\" } ]", "3:26: 'pager' is not a channel type; the types are: slack, teams, discord, webhook, email")]
    [InlineData("channels: [ { id: ops, type: slack } ]", "3:15: a slack channel needs a url: its http(s) webhook address")]
    [InlineData("channels: [ { id: ops, type: email, to: ops@acme.example } ]", "3:3: channel 'ops' sends e-mail, which needs notifications.smtp")]
    [InlineData("smtp: { host: mail.acme.example, from: nobody }", "3:36: smtp needs a from address, e.g. status@acme.example")]
    [InlineData("backoff: 0s", "3:3: backoff must be more than 0")]
    public void A_bad_notifications_section_is_reported_where_it_is(string yaml, string expected)
    {
        var loaded = ConfigLoader.LoadText($"page: {{ name: Acme }}\nnotifications:\n  {yaml}\n", "candor.yaml", _ => null);

        Assert.Equal([expected], loaded.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}"));
    }
}
