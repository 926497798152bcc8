using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>
/// Finds every row of one damaged table that a read of that row alone (<c>WHERE seq = s</c>) can return. Sequences
/// between <c>from</c> and <c>to</c> that no read has accounted for yet form gaps. A gap is bisected: from its middle
/// one scan reads upwards and one downwards, each as far as it gets, which proves the stretch it passed either read or
/// empty; what a scan could not pass stays a gap. A gap of at most <see cref="PointReadWidth"/> sequences is settled by
/// reading each sequence alone. A damaged page thus costs reads in proportion to the sequences under it, never the
/// good pages beside it.
/// </summary>
internal sealed class SalvageWalk<T> : IDisposable
{
    private const long PointReadWidth = 16;
    private const int SqliteError = 1;
    private const int SqliteNotADatabase = 26;

    private readonly Func<SqliteDataReader, T> _read;
    private readonly string _what;
    private readonly int _maxReads;
    private readonly SqliteCommand _up;
    private readonly SqliteCommand _down;
    private readonly SqliteCommand _one;
    private readonly SortedDictionary<long, T> _found = [];
    private readonly List<(long From, long To)> _unexplored = [];
    private int _reads;
    private int _failedReads;
    private string? _firstError;
    private string? _fatal;

    public SalvageWalk(SqliteConnection db, string table, string columns, Func<SqliteDataReader, T> read, string what, int maxReads)
    {
        _read = read;
        _what = what;
        _maxReads = maxReads;
        _up = OutboxSql.Command(db, null, $"SELECT {columns} FROM {table} WHERE seq >= $from AND seq <= $to ORDER BY seq", ("$from", 0L), ("$to", 0L));
        _down = OutboxSql.Command(db, null, $"SELECT {columns} FROM {table} WHERE seq >= $from AND seq <= $to ORDER BY seq DESC", ("$from", 0L), ("$to", 0L));
        _one = OutboxSql.Command(db, null, $"SELECT {columns} FROM {table} WHERE seq = $from", ("$from", 0L));
    }

    public IReadOnlyList<T> Rows => [.. _found.Values];

    /// <summary>What went wrong, for the log: failed reads, and any stretch left unexplored.</summary>
    public IEnumerable<string> Problems
    {
        get
        {
            if (_fatal is not null)
            {
                yield return $"{_what}: {_fatal}";
            }

            if (_failedReads > 0)
            {
                yield return $"{_what}: {_failedReads} of {_reads} reads failed (first: {_firstError}); {_found.Count} recovered";
            }

            if (_unexplored.Count > 0)
            {
                var (from, to) = _unexplored[0];
                yield return $"{_what}: stopped after {_maxReads} reads with {_unexplored.Count} stretch(es) of sequences unexplored, the first {Text(from)}..{Text(to)}";
            }
        }
    }

    public void Run(long from, long to)
    {
        var gaps = new Stack<(long From, long To)>();
        gaps.Push((from, to));
        while (_fatal is null && gaps.TryPop(out var gap))
        {
            if (_reads >= _maxReads)
            {
                _unexplored.Add(gap);
                continue;
            }

            var width = unchecked((ulong)(gap.To - gap.From));
            if (width < PointReadWidth)
            {
                for (var seq = gap.From; ; seq++)
                {
                    ReadOne(seq);
                    if (seq == gap.To)
                    {
                        break;
                    }
                }

                continue;
            }

            var mid = unchecked(gap.From + (long)(width / 2));
            if (Settle(mid + 1, gap.To, ascending: true) is { } up)
            {
                gaps.Push(up);
            }

            if (Settle(gap.From, mid, ascending: false) is { } down)
            {
                gaps.Push(down);
            }
        }
    }

    public void Dispose()
    {
        _up.Dispose();
        _down.Dispose();
        _one.Dispose();
    }

    /// <summary>
    /// Reads [from, to] one way as far as it can; returns the stretch it could not account for, null when none. A scan
    /// that ends without an error may still have stopped at a damaged page that SQLite took for an empty one (seen in
    /// truncated files), so what lies beyond its last row counts as empty only when a scan from the other end finds
    /// nothing there either.
    /// </summary>
    private (long From, long To)? Settle(long from, long to, bool ascending)
    {
        var (reached, ended) = Scan(ascending, from, to);
        if (reached == (ascending ? to : from))
        {
            return null;
        }

        var rest = reached is not { } r ? (From: from, To: to) : ascending ? (From: r + 1, To: to) : (From: from, To: r - 1);
        if (!ended)
        {
            return rest;
        }

        var (back, backEnded) = Scan(!ascending, rest.From, rest.To);
        return back switch
        {
            null when backEnded => null,
            null => rest,
            { } b when b == (ascending ? rest.From : rest.To) => null,
            { } b => ascending ? (rest.From, b - 1) : (b + 1, rest.To),
        };
    }

    /// <summary>Reads [from, to] in one order as far as it can: the last sequence read (null: none), and whether the scan ended without an error.</summary>
    private (long? Reached, bool Ended) Scan(bool ascending, long from, long to)
    {
        long? last = null;
        var ended = Execute(ascending ? _up : _down, from, to, reader =>
        {
            while (reader.Read())
            {
                var row = _read(reader);
                last = reader.GetInt64(0);
                _found[last.Value] = row;
            }
        });
        return (last, ended);
    }

    private void ReadOne(long seq) =>
        Execute(_one, seq, seq, reader =>
        {
            if (reader.Read())
            {
                _found[seq] = _read(reader);
            }
        });

    private bool Execute(SqliteCommand command, long from, long to, Action<SqliteDataReader> take)
    {
        _reads++;
        command.Parameters["$from"].Value = from;
        if (command.Parameters.Contains("$to"))
        {
            command.Parameters["$to"].Value = to;
        }

        try
        {
            using var reader = command.ExecuteReader();
            take(reader);
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteError or SqliteNotADatabase)
        {
            // No such table, or no database at all: true of every read, so nothing more to find here.
            _fatal = ex.Message;
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidCastException or InvalidOperationException)
        {
            _failedReads++;
            _firstError ??= $"{ex.Message} (reading from sequence {Text(from)})";
            return false;
        }
    }

    private static string Text(long seq) => seq.ToString(CultureInfo.InvariantCulture);
}
