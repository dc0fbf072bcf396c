namespace Candor.Hosting;

/// <summary>
/// Says that something public changed (a component's status, an incident), once it is stored, so that
/// what is built from the store (the public snapshot) is built again.
/// </summary>
public sealed class ChangeFeed
{
    public event Action? Changed;

    public void Publish() => Changed?.Invoke();
}
