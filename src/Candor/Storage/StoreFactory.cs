namespace Candor.Storage;

public static class StoreFactory
{
    /// <summary>
    /// Opens the store that a `storage:` value names: <c>sqlite:PATH</c>, or a PostgreSQL URL
    /// (<c>postgres://user:pass@host:port/db</c>) or Npgsql connection string.
    /// </summary>
    public static ICandorStore Create(string storage) => throw new NotImplementedException(storage);
}
