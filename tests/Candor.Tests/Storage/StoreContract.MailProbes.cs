using Candor.Storage;

namespace Candor.Tests.Storage;

public abstract partial class StoreContract
{
    [Fact]
    public async Task The_due_mail_probe_is_the_one_whose_deadline_passed_last()
    {
        await Store.RecordMailProbeAsync(new MailProbe("mail", "candor-probe-a", T0, T0.AddMinutes(5)), Ct);
        await Store.RecordMailProbeAsync(new MailProbe("mail", "candor-probe-b", T0.AddMinutes(1), T0.AddMinutes(6)), Ct);
        await Store.RecordMailProbeAsync(new MailProbe("other", "candor-probe-c", T0.AddMinutes(2), T0.AddMinutes(7)), Ct);

        Assert.Null(await Store.GetLatestDueMailProbeAsync("mail", T0.AddMinutes(5).AddMilliseconds(-1), Ct));
        Assert.Equal("candor-probe-a", (await Store.GetLatestDueMailProbeAsync("mail", T0.AddMinutes(5), Ct))?.Token);
        Assert.Equal(
            new MailProbe("mail", "candor-probe-b", T0.AddMinutes(1), T0.AddMinutes(6)),
            await Store.GetLatestDueMailProbeAsync("mail", T0.AddHours(1), Ct));
    }

    [Fact]
    public async Task The_first_report_of_a_probe_counts_even_when_it_comes_before_the_probe_is_recorded()
    {
        await Store.RecordMailProbeDeliveryAsync("mail", "candor-probe-a", T0.AddSeconds(1), Ct);
        Assert.Null(await Store.GetLatestDueMailProbeAsync("mail", T0.AddDays(1), Ct));

        await Store.RecordMailProbeAsync(new MailProbe("mail", "candor-probe-a", T0, T0.AddMinutes(5)), Ct);
        await Store.RecordMailProbeDeliveryAsync("mail", "candor-probe-a", T0.AddMinutes(3), Ct);

        Assert.Equal(
            new MailProbe("mail", "candor-probe-a", T0, T0.AddMinutes(5), T0.AddSeconds(1)),
            await Store.GetLatestDueMailProbeAsync("mail", T0.AddDays(1), Ct));
    }

    /// <remarks>
    /// Probes go every ten minutes, and one of a rare monitor every two days; an unknown token was reported 40 days ago.
    /// </remarks>
    [Fact]
    public async Task Retention_deletes_old_mail_probes_but_the_latest_due_at_any_time_from_the_cutoff_on()
    {
        for (var sent = T0.AddDays(-3); sent <= T0; sent = sent.AddMinutes(10))
        {
            await Store.RecordMailProbeAsync(new MailProbe("mail", $"candor-probe-{sent.ToUnixTimeSeconds()}", sent, sent.AddMinutes(5)), Ct);
        }

        await Store.RecordMailProbeAsync(new MailProbe("rare", "candor-probe-old", T0.AddDays(-4), T0.AddDays(-4).AddMinutes(5)), Ct);
        await Store.RecordMailProbeAsync(new MailProbe("rare", "candor-probe-last", T0.AddDays(-2), T0.AddDays(-2).AddMinutes(5)), Ct);
        await Store.RecordMailProbeDeliveryAsync("mail", "candor-probe-unknown", T0.AddDays(-40), Ct);

        await Store.DeleteResultsBeforeAsync(T0.AddDays(-1), Ct);

        Assert.Equal("candor-probe-last", (await Store.GetLatestDueMailProbeAsync("rare", T0.AddHours(1), Ct))?.Token);
        var cutoffProbe = $"candor-probe-{T0.AddDays(-1).AddMinutes(-10).ToUnixTimeSeconds()}";
        Assert.Equal(cutoffProbe, (await Store.GetLatestDueMailProbeAsync("mail", T0.AddDays(-1), Ct))?.Token);
        Assert.Equal((24 * 6) + 2 + 1, await QueryScalarAsync(Storage, "SELECT COUNT(*) FROM mail_probes", Ct));
    }
}
