using System.Data.Common;

namespace Candor.Storage;

/// <summary>
/// The daily rollups of every monitor over a range of days, by day then monitor: the rows behind all the uptime
/// bars at once, a thousand monitors' ninety days being ninety thousand of them.
/// </summary>
internal static class DailyUptimeQuery
{
    public const string Sql = """
        SELECT day, monitor_id, checks, failures, degraded FROM result_rollups_daily
        WHERE day >= @from AND day < @to
        ORDER BY day, monitor_id
        """;

    /// <summary>Through ADO.NET, for an engine whose driver reads rows cheaply.</summary>
    public static async Task<IReadOnlyList<DailyUptime>> ReadAsync(
        DbConnection connection, long from, long to, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        AddParameter(command, "from", from);
        AddParameter(command, "to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new List<DailyUptime>();
        var dates = new DayDates();
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(new DailyUptime(
                reader.GetString(1), dates.Of(reader.GetInt64(0)), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return days;
    }

    private static void AddParameter(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>
/// The UTC date of a stored day. Thousands of monitors share each day and the rows come day by day, so the date
/// is worked out once per day, not once per row.
/// </summary>
internal sealed class DayDates
{
    private long _day = long.MinValue;
    private DateOnly _date;

    public DateOnly Of(long day)
    {
        if (day != _day)
        {
            _day = day;
            _date = DateOnly.FromDateTime(StoredValues.FromUnixMs(day).UtcDateTime);
        }

        return _date;
    }
}
