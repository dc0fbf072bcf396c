using System.Net;
using System.Text;
using Candor.Monitoring.Checks.Smtp;
using Candor.Monitoring.Scheduling;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Candor.Tests.Smtp;

/// <summary>The whole round trip through a running server: the scheduler sends the probe, the ping route takes the report.</summary>
public sealed class MailProbePingTests
{
    private const string PingToken = "mail-pipeline-token-1";

    [Fact]
    public async Task A_pipeline_that_posts_the_message_it_received_reports_the_probe()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var candor = await CandorApp.StartAsync(Config(smtp, deadline: "5m"));

        candor.Services.GetRequiredService<CheckScheduler>().RequestRun("mail-probe", "local");
        var message = await smtp.WaitForMessageAsync();
        using var body = new StringContent(message.Raw, Encoding.UTF8, "message/rfc822");
        var response = await candor.Anonymous.PostAsync($"/ping/{PingToken}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var probe = await WaitForProbeAsync(candor, p => p.DeliveredAt is not null);
        Assert.Equal(ProbeTokens.FindIn(message.Header("Subject")!).Single(), probe.Token);
        Assert.Equal(TimeSpan.FromMinutes(5), probe.Deadline);
        await candor.WaitForMonitorAsync("mail-pipeline", m => CandorApp.HasStatus(m, "up"));
    }

    [Fact]
    public async Task A_pipeline_can_pass_the_subject_in_the_query_instead()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var candor = await CandorApp.StartAsync(Config(smtp, deadline: "5m"));

        candor.Services.GetRequiredService<CheckScheduler>().RequestRun("mail-probe", "local");
        var subject = (await smtp.WaitForMessageAsync()).Header("Subject")!;
        var response = await candor.Anonymous.GetAsync($"/ping/{PingToken}?probe={Uri.EscapeDataString("[Ticket#4711] " + subject)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await WaitForProbeAsync(candor, p => p.DeliveredAt is not null)).DeliveredAt);
    }

    [Fact]
    public async Task A_probe_that_is_never_reported_turns_the_heartbeat_down_once_its_deadline_passes()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var candor = await CandorApp.StartAsync(Config(smtp, deadline: "1s"));

        candor.Services.GetRequiredService<CheckScheduler>().RequestRun("mail-probe", "local");
        var token = ProbeTokens.FindIn((await smtp.WaitForMessageAsync()).Header("Subject")!).Single();
        var down = await candor.WaitForMonitorAsync("mail-pipeline", m => CandorApp.HasStatus(m, "down"));

        var message = down.GetProperty("locations")[0].GetProperty("last_result").GetProperty("message").GetString();
        Assert.Matches($"^probe {token} sent at \\d\\d:\\d\\d:\\d\\dZ was not delivered within 1s$", message);
    }

    /// <summary>The smtp monitor runs only when asked (its interval is long); the heartbeat is judged every second.</summary>
    private static string Config(SmtpServer smtp, string deadline) => $$"""
        components: [ { id: mail, name: Support e-mail } ]
        monitors:
          - id: mail-probe
            component: mail
            type: smtp
            target: {{smtp.Target}}
            interval: 1h
            send_to: support@acme.example
            mail_from: candor@acme.example
            heartbeat: mail-pipeline
            deadline: {{deadline}}
          - { id: mail-pipeline, component: mail, type: heartbeat, interval: 1s, timeout: 1s, every: 1h, grace: 1h, token: {{PingToken}} }

        """;

    private static async Task<MailProbe> WaitForProbeAsync(CandorApp candor, Func<MailProbe, bool> condition)
    {
        var store = candor.Services.GetRequiredService<ICandorStore>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            // Far in the future, so that the probe counts as due and is returned whatever its deadline.
            var probe = await store.GetLatestDueMailProbeAsync("mail-pipeline", DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
            if (probe is not null && condition(probe))
            {
                return probe;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the probe was not recorded as expected; last seen: {probe}");
            await Task.Delay(50);
        }
    }
}
