using Candor.Incidents;
using Candor.Notifications;
using Candor.Storage;

namespace Candor.Tests.Storage;

public abstract partial class StoreContract
{
    [Fact]
    public async Task A_user_is_stored_once_by_name_and_can_be_removed()
    {
        var dana = new ConsoleUser("dana", ApiRole.Responder, "hash-1", T0);

        Assert.True(await Store.AddUserAsync(dana, Ct));
        Assert.False(await Store.AddUserAsync(dana with { Role = ApiRole.Admin, PasswordHash = "hash-2" }, Ct));
        Assert.True(await Store.AddUserAsync(new ConsoleUser("ada", ApiRole.Admin, "hash-3", T0.AddMinutes(1)), Ct));

        Assert.Equal(dana, await Store.GetUserAsync("dana", Ct));
        Assert.Equal(["ada", "dana"], (await Store.GetUsersAsync(Ct)).Select(u => u.Name));
        Assert.True(await Store.RemoveUserAsync("dana", Ct));
        Assert.False(await Store.RemoveUserAsync("dana", Ct));
        Assert.Null(await Store.GetUserAsync("dana", Ct));
    }

    [Fact]
    public async Task The_failure_that_reaches_the_limit_locks_the_user_and_a_success_clears_the_count()
    {
        await Store.AddUserAsync(new ConsoleUser("dana", ApiRole.Viewer, "hash", T0), Ct);
        var until = T0.AddMinutes(15);

        Assert.Equal(1, (await Store.RecordFailedSignInAsync("dana", 3, until, Ct))!.FailedSignIns);
        await Store.RecordSignInAsync("dana", T0.AddSeconds(1), Ct);
        Assert.Equal(1, (await Store.RecordFailedSignInAsync("dana", 3, until, Ct))!.FailedSignIns);
        Assert.Null((await Store.RecordFailedSignInAsync("dana", 3, until, Ct))!.LockedUntil);
        var locked = await Store.RecordFailedSignInAsync("dana", 3, until, Ct);

        Assert.Equal(until, locked!.LockedUntil);
        Assert.Equal(0, locked.FailedSignIns);
        Assert.Equal(T0.AddSeconds(1), locked.LastSignInAt);
        Assert.Null(await Store.RecordFailedSignInAsync("nobody", 3, until, Ct));
    }

    [Fact]
    public async Task Failures_counted_by_two_stores_at_once_are_all_counted()
    {
        await Store.AddUserAsync(new ConsoleUser("dana", ApiRole.Viewer, "hash", T0), Ct);
        var replica = Open(Storage);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? Store : replica).RecordFailedSignInAsync("dana", 100, T0.AddMinutes(15), Ct)));

        Assert.Equal(8, (await replica.GetUserAsync("dana", Ct))!.FailedSignIns);
    }

    [Fact]
    public async Task An_incidents_deliveries_are_its_outbox_rows_oldest_first()
    {
        var incident = new Incident { Id = "inc1", Name = "Down", CreatedAt = T0, UpdatedAt = T0, StartedAt = T0, ComponentIds = ["web"] };
        IncidentEvent Opened(string id, string incidentId, DateTimeOffset at) => new()
        {
            Id = id,
            IncidentId = incidentId,
            Kind = IncidentEventKind.Opened,
            At = at,
            Status = IncidentStatus.Investigating,
            DeliverNotifications = true,
        };
        await Store.SaveIncidentChangesAsync(
            new IncidentChanges([incident, incident with { Id = "inc2" }], [Opened("e1", "inc1", T0), Opened("e2", "inc2", T0), Opened("e3", "inc1", T0.AddMinutes(1))])
            {
                ResponderChannels = ["ops", "oncall"],
            },
            Ct);

        var deliveries = await Store.GetIncidentDeliveriesAsync("inc1", Ct);

        Assert.Equal(["e1", "e1", "e3", "e3"], deliveries.Select(d => d.EventId));
        Assert.All(deliveries, d => Assert.Equal(RecipientKind.Channel, d.RecipientKind));
        Assert.Equal(["ops", "oncall", "ops", "oncall"], deliveries.Select(d => d.RecipientId));
        Assert.Empty(await Store.GetIncidentDeliveriesAsync("other", Ct));
    }
}
