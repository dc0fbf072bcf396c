using Candor.Monitoring;

namespace Candor.Tests.Storage;

public abstract partial class StoreContract
{
    [Fact]
    public async Task A_diagnostic_bundle_is_stored_with_its_result_and_read_back_verbatim()
    {
        var confirming = Result("web", "local", T0, Outcome.Down);
        await Store.SaveBatchAsync(Batch(confirming), Ct);
        const string Bundle = """{"summary":"TCP connect to 127.0.0.1:1 refused","tcp":[{"address":"127.0.0.1","outcome":"refused"}]}""";

        await Store.SaveDiagnosticsAsync(confirming.Id, Bundle, Ct);

        Assert.Equal(Bundle, await Store.GetDiagnosticsAsync(confirming.Id, Ct));
    }

    [Fact]
    public async Task A_result_without_a_bundle_has_none()
    {
        var result = Result("web", "local", T0, Outcome.Down);
        await Store.SaveBatchAsync(Batch(result), Ct);

        Assert.Null(await Store.GetDiagnosticsAsync(result.Id, Ct));
        Assert.Null(await Store.GetDiagnosticsAsync(Guid.CreateVersion7(T0), Ct));
    }

    [Fact]
    public async Task Saving_a_bundle_again_replaces_it()
    {
        var result = Result("web", "local", T0, Outcome.Down);
        await Store.SaveBatchAsync(Batch(result), Ct);

        await Store.SaveDiagnosticsAsync(result.Id, """{"summary":"first"}""", Ct);
        await Store.SaveDiagnosticsAsync(result.Id, """{"summary":"second"}""", Ct);

        Assert.Equal("""{"summary":"second"}""", await Store.GetDiagnosticsAsync(result.Id, Ct));
    }

    [Fact]
    public async Task Retention_deletes_the_bundles_of_the_results_it_deletes()
    {
        var old = Result("web", "local", T0.AddDays(-40), Outcome.Down);
        var recent = Result("web", "local", T0, Outcome.Down);
        await Store.SaveBatchAsync(Batch(old, recent), Ct);
        await Store.SaveDiagnosticsAsync(old.Id, """{"summary":"old"}""", Ct);
        await Store.SaveDiagnosticsAsync(recent.Id, """{"summary":"recent"}""", Ct);

        await Store.DeleteResultsBeforeAsync(T0.AddDays(-30), Ct);

        Assert.Null(await Store.GetDiagnosticsAsync(old.Id, Ct));
        Assert.Equal("""{"summary":"recent"}""", await Store.GetDiagnosticsAsync(recent.Id, Ct));
        Assert.Equal(1, await QueryScalarAsync(Storage, "SELECT COUNT(*) FROM result_diagnostics", Ct));
    }
}
