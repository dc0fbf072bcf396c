namespace Candor.Configuration;

/// <summary>A place in the config file; line and column are 1-based.</summary>
internal readonly record struct Position(int Line, int Column);

/// <summary>
/// Where each bound record and each of its keys was written, so that validation, which sees only the records,
/// can still point at the line and column of the value at fault. Records compare by value, so two identical
/// entries would collide in an ordinary dictionary; this table goes by reference.
/// </summary>
internal sealed class ConfigPositions
{
    private readonly Dictionary<object, Entry> _entries = new(ReferenceEqualityComparer.Instance);
    private readonly List<object> _order = [];

    /// <summary>Every bound record in file order, with the monitor that owns it when it is a type's settings.</summary>
    public IEnumerable<(object Record, MonitorConfig? Monitor)> Records =>
        _order.Select(record => (record, _entries[record].Monitor));

    public void AddRecord(object record, Position at, MonitorConfig? monitor)
    {
        _entries.Add(record, new Entry(at, monitor));
        _order.Add(record);
    }

    public void AddKey(object record, string key, Position keyAt, Position valueAt, IReadOnlyList<Position> items) =>
        _entries[record].Keys[key] = new KeyPositions(keyAt, valueAt, items);

    /// <summary>Whether the file wrote this key for this record (rather than leaving the default).</summary>
    public bool Has(object record, string key) => Keys(record).ContainsKey(key);

    /// <summary>Where the record was written; a default record that the file never wrote is at the top of the file.</summary>
    public Position Of(object record) => _entries.TryGetValue(record, out var entry) ? entry.At : new Position(1, 1);

    /// <summary>Where the key was written, or the record itself when the key was not.</summary>
    public Position KeyOf(object record, string key) =>
        Keys(record).TryGetValue(key, out var written) ? written.Key : Of(record);

    /// <summary>Where the key's value was written, or the record itself when the key was not.</summary>
    public Position ValueOf(object record, string key) =>
        Keys(record).TryGetValue(key, out var written) ? written.Value : Of(record);

    /// <summary>Where one item of a list value was written, or the whole value when it was not a list.</summary>
    public Position ItemOf(object record, string key, int index) =>
        Keys(record).TryGetValue(key, out var written) && index < written.Items.Count
            ? written.Items[index]
            : ValueOf(record, key);

    private Dictionary<string, KeyPositions> Keys(object record) =>
        _entries.TryGetValue(record, out var entry) ? entry.Keys : new Dictionary<string, KeyPositions>();

    private sealed record KeyPositions(Position Key, Position Value, IReadOnlyList<Position> Items);

    private sealed record Entry(Position At, MonitorConfig? Monitor)
    {
        public Dictionary<string, KeyPositions> Keys { get; } = new(StringComparer.Ordinal);
    }
}
