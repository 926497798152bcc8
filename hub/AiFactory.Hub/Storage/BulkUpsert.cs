using System.Data.Common;
using System.Text;

namespace AiFactory.Hub.Storage;

/// <summary>
/// Inserts many rows, merging each into an existing row with the same key (adding counters, keeping min/max).
/// PostgreSQL: one statement per call that unnests one array parameter per column, so its text never changes and
/// the work per row is array encoding. SQLite (in-process, no round trips): one prepared single-row statement run
/// per row, since SQLite looks named parameters up by a linear scan and large VALUES lists cost quadratic time.
/// </summary>
public sealed class BulkUpsert
{
    /// <summary>
    /// The most an added counter column holds: 2^62 - 1. Adding saturates there instead of wrapping (SQLite would turn
    /// the sum into a REAL, PostgreSQL would fail the batch), so a stored counter always reads back as a 64-bit
    /// integer and two of them still add without overflow. Ingest's bounds (AiFactory.Contracts.WireLimits) keep real
    /// data many orders of magnitude below it.
    /// </summary>
    public const long MaxCounter = (1L << 62) - 1;

    private readonly string _table;
    private readonly IReadOnlyList<UpsertColumn> _columns;
    private readonly HubDatabase _database;
    private readonly string _sql;

    public BulkUpsert(HubDatabase database, string table, IReadOnlyList<UpsertColumn> columns)
    {
        _database = database;
        _table = table;
        _columns = columns;
        _sql = Build();
    }

    /// <summary>Empty typed rows with this upsert's columns.</summary>
    public UpsertRows NewRows(int capacity) => new(_columns, capacity);

    /// <summary>Upserts rows given as one object array per row (values in column order).</summary>
    public Task ExecuteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var typed = NewRows(rows.Count);
        foreach (var row in rows)
        {
            var r = typed.Add();
            for (var c = 0; c < _columns.Count; c++)
            {
                typed.Boxed(r, c, row[c]);
            }
        }

        return ExecuteAsync(connection, transaction, typed, ct);
    }

    public async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, UpsertRows rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _sql;
        if (_database.Provider == DatabaseProvider.PostgreSql)
        {
            for (var c = 0; c < _columns.Count; c++)
            {
                command.Parameters.Add(Parameter(command, c, rows.Column(c)));
            }

            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return;
        }

        for (var c = 0; c < _columns.Count; c++)
        {
            command.Parameters.Add(Parameter(command, c, DBNull.Value));
        }

        await command.PrepareAsync(ct).ConfigureAwait(false);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < _columns.Count; c++)
            {
                command.Parameters[c].Value = rows.Value(r, c);
            }

            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static DbParameter Parameter(DbCommand command, int index, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = $"@c{index}";
        p.Value = value;
        return p;
    }

    private string Build()
    {
        var names = _columns.Select(c => c.Name).ToList();
        var sb = new StringBuilder("INSERT INTO ").Append(_table).Append(" (").AppendJoin(", ", names).Append(") ");
        if (_database.Provider == DatabaseProvider.PostgreSql)
        {
            sb.Append("SELECT * FROM unnest(").AppendJoin(", ", _columns.Select((_, i) => $"@c{i}")).Append(')');
        }
        else
        {
            sb.Append("VALUES (").AppendJoin(", ", _columns.Select((_, i) => $"@c{i}")).Append(')');
        }

        var keys = _columns.Where(c => c.Merge == UpsertMerge.Key).Select(c => c.Name).ToList();
        var updates = _columns.Where(c => c.Merge is UpsertMerge.Add or UpsertMerge.Min or UpsertMerge.Max).Select(c => c.Merge switch
        {
            UpsertMerge.Add when c.Type == UpsertType.Long =>
                $"{c.Name} = CASE WHEN {_table}.{c.Name} > {MaxCounter} - excluded.{c.Name} THEN {MaxCounter} ELSE {_table}.{c.Name} + excluded.{c.Name} END",
            UpsertMerge.Add => $"{c.Name} = {_table}.{c.Name} + excluded.{c.Name}",
            UpsertMerge.Min => $"{c.Name} = {_database.Least}(COALESCE({_table}.{c.Name}, excluded.{c.Name}), COALESCE(excluded.{c.Name}, {_table}.{c.Name}))",
            _ => $"{c.Name} = {_database.Greatest}(COALESCE({_table}.{c.Name}, excluded.{c.Name}), COALESCE(excluded.{c.Name}, {_table}.{c.Name}))",
        }).ToList();
        sb.Append(" ON CONFLICT (").AppendJoin(", ", keys).Append(')');
        return updates.Count == 0 ? sb.Append(" DO NOTHING").ToString() : sb.Append(" DO UPDATE SET ").AppendJoin(", ", updates).ToString();
    }
}
