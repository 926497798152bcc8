using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>
/// The edge's durable outbox: one SQLite file in WAL mode with synchronous=FULL, so a record that
/// <see cref="Append"/> returned for is on disk and survives a kill -9 or a power cut. Sequences rise strictly
/// and are never reused (the next one is stored beside the records). Bounded by bytes and age under a
/// <see cref="OutboxFullPolicy"/>; every drop and refusal is counted in the file. A corrupt file is moved aside
/// and what can be read from it is salvaged into a fresh one. Thread-safe (one connection behind a lock). One agent
/// per file (<see cref="OutboxLock"/>); other processes may read it and requeue dead letters meanwhile
/// (<see cref="OutboxInspector"/>): a commit of theirs is noticed through <c>PRAGMA data_version</c> and the store
/// rereads its sequence, backlog and counters before it goes on.
/// </summary>
public sealed class OutboxStore : IOutboxWriter, IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _db;
    private readonly OutboxLock _lock;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly LogRateLimiter _limiter;
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private long _nextSeq;
    private long _backlogRecords;
    private long _backlogBytes;
    private long _sentUpTo;
    private long _dataVersion;

    private OutboxStore(SqliteConnection db, OutboxLock fileLock, OutboxOptions options, TimeProvider time, ILogger log)
    {
        _db = db;
        _lock = fileLock;
        _options = options;
        _time = time;
        _log = log;
        _limiter = new LogRateLimiter(time, TimeSpan.FromMinutes(1));
        Path = options.Path;
    }

    public string Path { get; }

    public OutboxOptions Options => _options;

    /// <summary>Opens (or creates) the outbox; a corrupt file is quarantined and salvaged, never fatal.</summary>
    /// <exception cref="OutboxException">The file cannot be created or opened (permissions, locked, disk).</exception>
    public static OutboxStore Open(OutboxOptions options, ILogger? log = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxBytes <= 0 || options.MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"outbox '{options.Path}': max bytes ({options.MaxBytes}) and max age ({options.MaxAge}) must be positive");
        }

        log ??= NullLogger.Instance;
        time ??= TimeProvider.System;
        var path = System.IO.Path.GetFullPath(options.Path);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutboxException($"outbox '{path}': cannot create its folder: {ex.Message}", ex);
        }

        var fileLock = OutboxLock.Take(path);
        try
        {
            SalvageResult? salvage = null;
            if (File.Exists(path) && OutboxFile.Check(path) is { } problem)
            {
                var aside = OutboxFile.MoveAside(path, time.GetUtcNow());
                salvage = OutboxSalvage.Read(aside);
                UplinkLog.Quarantined(log, path, problem, aside, salvage.Records.Count, salvage.DeadLetters.Count);
                foreach (var p in salvage.Problems)
                {
                    UplinkLog.SalvageProblem(log, path, aside, p);
                }
            }

            var db = OpenConnection(path);
            var store = new OutboxStore(db, fileLock, new OutboxOptions { Path = path, MaxBytes = options.MaxBytes, MaxAge = options.MaxAge, FullPolicy = options.FullPolicy }, time, log);
            try
            {
                store.Load(salvage);
            }
            catch (SqliteException ex)
            {
                // Loading writes (the sequence, the bounds): on a full disk it fails like any write, and must say so.
                store.Dispose();
                throw new OutboxException($"outbox '{path}': cannot open it: {ex.Message} (is its disk full?); what it holds stays in the file", ex);
            }

            UplinkLog.Opened(log, path, store._backlogRecords, store._backlogBytes, store._nextSeq);
            return store;
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    private static SqliteConnection OpenConnection(string path)
    {
        SqliteConnection? db = null;
        try
        {
            db = OutboxSql.Open(path, SqliteOpenMode.ReadWriteCreate);
            using (var command = OutboxSql.Command(db, null, "PRAGMA journal_mode=WAL"))
            {
                if (command.ExecuteScalar() is not "wal")
                {
                    throw new OutboxException($"outbox '{path}': the file system does not support SQLite's WAL mode");
                }
            }

            OutboxSql.Execute(db, null, "PRAGMA synchronous=FULL");
            OutboxSql.Execute(db, null, "BEGIN IMMEDIATE; " + OutboxSchema.Create + " COMMIT;");
            return db;
        }
        catch (SqliteException ex) when (OutboxSql.IsBusy(ex))
        {
            db?.Dispose();
            throw OutboxFile.InUse(path, ex);
        }
        catch (Exception ex) when (ex is SqliteException or OutboxException)
        {
            db?.Dispose();
            throw ex as OutboxException ?? new OutboxException($"outbox '{path}': cannot create or open it: {ex.Message}", ex);
        }
    }

    /// <summary>The current backlog and lifetime counters.</summary>
    public OutboxCounters Counters
    {
        get
        {
            lock (_gate)
            {
                Refresh();
                return new OutboxCounters(_backlogRecords, _backlogBytes, _nextSeq, Counter(OutboxSchema.DroppedOldest), Counter(OutboxSchema.RejectedNew), Counter(OutboxSchema.Quarantined), Counter(OutboxSchema.DeadLettered));
            }
        }
    }

    public OutboxAppendResult Append(IReadOnlyList<OutboxItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var encoded = new (OutboxRecordKind Kind, byte[] Payload)[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            encoded[i] = OutboxPayload.Encode(items[i]);
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var cutoff = now - (long)_options.MaxAge.TotalMilliseconds;
            var sequences = new long[items.Count];
            long next = _nextSeq, bytes = _backlogBytes, records = _backlogRecords;
            int stored = 0, rejected = 0, dropped = 0;
            string? limit = null;
            using (var tx = _db.BeginTransaction())
            {
                Refresh(tx);
                next = _nextSeq;
                bytes = _backlogBytes;
                records = _backlogRecords;
                if (_options.FullPolicy == OutboxFullPolicy.DropOldest)
                {
                    using var expire = OutboxSql.Command(_db, tx, "DELETE FROM outbox_records WHERE created_ms < $cutoff AND seq > $sent RETURNING length(payload)", ("$cutoff", cutoff), ("$sent", _sentUpTo));
                    using var reader = expire.ExecuteReader();
                    while (reader.Read())
                    {
                        bytes -= reader.GetInt64(0);
                        records--;
                        dropped++;
                        limit = $"older than {_options.MaxAge}";
                    }
                }

                var oldest = OutboxSql.Scalar(_db, tx, "SELECT created_ms FROM outbox_records ORDER BY seq LIMIT 1");
                for (var i = 0; i < encoded.Length; i++)
                {
                    var (kind, payload) = encoded[i];
                    var tooOld = _options.FullPolicy == OutboxFullPolicy.RejectNew && oldest < cutoff;
                    if (payload.Length > _options.MaxBytes || tooOld)
                    {
                        rejected++;
                        limit = tooOld ? $"oldest record older than {_options.MaxAge}" : $"a {payload.Length}-byte record exceeds the whole {_options.MaxBytes}-byte bound";
                        continue;
                    }

                    while (bytes + payload.Length > _options.MaxBytes && _options.FullPolicy == OutboxFullPolicy.DropOldest && DropOne(tx) is { } freed)
                    {
                        bytes -= freed;
                        records--;
                        dropped++;
                        limit = $"{_options.MaxBytes} bytes";
                    }

                    if (bytes + payload.Length > _options.MaxBytes)
                    {
                        rejected++;
                        limit = $"{_options.MaxBytes} bytes";
                        continue;
                    }

                    OutboxSql.InsertRecord(_db, tx, next, now, kind, payload);
                    oldest ??= now;
                    sequences[i] = next++;
                    bytes += payload.Length;
                    records++;
                    stored++;
                }

                OutboxSql.WriteMeta(_db, tx, OutboxSchema.NextSequence, next);
                WriteCounter(tx, OutboxSchema.DroppedOldest, dropped);
                WriteCounter(tx, OutboxSchema.RejectedNew, rejected);
                tx.Commit();
            }

            // Committed: only now does the in-memory view move.
            _nextSeq = next;
            _backlogBytes = bytes;
            _backlogRecords = records;
            AddCounter(OutboxSchema.DroppedOldest, dropped);
            AddCounter(OutboxSchema.RejectedNew, rejected);
            if (dropped > 0 && _limiter.TryEnter("dropped", out var held))
            {
                UplinkLog.DroppedOldest(_log, Path, limit!, dropped, Counter(OutboxSchema.DroppedOldest), held);
            }

            if (rejected > 0 && _limiter.TryEnter("rejected", out held))
            {
                UplinkLog.RejectedNew(_log, Path, limit!, rejected, Counter(OutboxSchema.RejectedNew), held);
            }

            return new OutboxAppendResult(stored, rejected, dropped, sequences);
        }
    }

    /// <summary>The oldest waiting records, up to <paramref name="maxRecords"/> and about <paramref name="maxBytes"/> of payload (at least one).</summary>
    public IReadOnlyList<OutboxEntry> Peek(int maxRecords, long maxBytes)
    {
        lock (_gate)
        {
            var result = new List<OutboxEntry>();
            long bytes = 0;
            using var command = OutboxSql.Command(_db, null, "SELECT seq, created_ms, kind, payload FROM outbox_records ORDER BY seq LIMIT $n", ("$n", (long)maxRecords));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var entry = OutboxSql.ReadEntry(reader);
                if (result.Count > 0 && bytes + entry.Payload.Length > maxBytes)
                {
                    break;
                }

                bytes += entry.Payload.Length;
                result.Add(entry);
            }

            return result;
        }
    }

    /// <summary>
    /// Notes that records up to <paramref name="sequence"/> went out: the hub may have applied them even if no answer
    /// comes back, so drop-oldest spares them while unsent records remain (a drop is then never also a delivery).
    /// </summary>
    public void MarkSent(long sequence)
    {
        lock (_gate)
        {
            _sentUpTo = Math.Max(_sentUpTo, sequence);
        }
    }

    /// <summary>Deletes every record up to and including <paramref name="sequence"/> (after the hub acknowledged them); returns how many.</summary>
    public int DeleteUpTo(long sequence)
    {
        lock (_gate)
        {
            int deleted = 0;
            long bytes = 0;
            using (var tx = _db.BeginTransaction())
            {
                Refresh(tx);
                using (var command = OutboxSql.Command(_db, tx, "DELETE FROM outbox_records WHERE seq <= $seq RETURNING length(payload)", ("$seq", sequence)))
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        deleted++;
                        bytes += reader.GetInt64(0);
                    }
                }

                OutboxSql.RaiseMeta(_db, tx, OutboxSchema.AckedUpTo, sequence);
                tx.Commit();
            }

            _backlogRecords -= deleted;
            _backlogBytes -= bytes;
            return deleted;
        }
    }

    /// <summary>Moves one record to the dead-letter table, counted and kept for inspection; false when it is not waiting.</summary>
    public bool DeadLetter(long sequence, string reason)
    {
        lock (_gate)
        {
            long? bytes;
            using (var tx = _db.BeginTransaction())
            {
                Refresh(tx);
                OutboxSql.Execute(
                    _db,
                    tx,
                    "INSERT OR IGNORE INTO outbox_dead_letters (seq, created_ms, kind, payload, dead_ms, reason) SELECT seq, created_ms, kind, payload, $dead, $reason FROM outbox_records WHERE seq = $seq",
                    ("$seq", sequence),
                    ("$dead", _time.GetUtcNow().ToUnixTimeMilliseconds()),
                    ("$reason", reason));
                bytes = OutboxSql.Scalar(_db, tx, "DELETE FROM outbox_records WHERE seq = $seq RETURNING length(payload)", ("$seq", sequence));
                if (bytes is null)
                {
                    return false;
                }

                WriteCounter(tx, OutboxSchema.DeadLettered, 1);
                tx.Commit();
            }

            _backlogRecords--;
            _backlogBytes -= bytes.Value;
            AddCounter(OutboxSchema.DeadLettered, 1);
            UplinkLog.DeadLettered(_log, Path, sequence, reason);
            return true;
        }
    }

    /// <summary>The dead-letter table, oldest first.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters(int limit = 1000)
    {
        lock (_gate)
        {
            var result = new List<DeadLetter>();
            using var command = OutboxSql.Command(_db, null, "SELECT seq, created_ms, kind, payload, dead_ms, reason FROM outbox_dead_letters ORDER BY seq LIMIT $n", ("$n", (long)limit));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result.Add(OutboxSql.ReadDeadLetter(reader));
            }

            return result;
        }
    }

    /// <summary>
    /// Puts every dead letter back in the backlog under a new sequence (the hub's mark has passed the old one), e.g.
    /// once the station the hub refused is registered. The lifetime dead-letter counter stays as it was.
    /// </summary>
    public int RequeueDeadLetters()
    {
        lock (_gate)
        {
            int count;
            using (var tx = _db.BeginTransaction())
            {
                Refresh(tx);
                count = OutboxSql.RequeueDeadLetters(_db, tx, _nextSeq);
                tx.Commit();
            }

            // Reread like another process's commit: the sequence moved and the backlog grew.
            _dataVersion = -1;
            Refresh();
            return count;
        }
    }

    /// <summary>Makes the next sequence at least <paramref name="next"/> (when the hub has applied sequences this outbox has not reached).</summary>
    public void RaiseNextSequence(long next, long hubMark)
    {
        lock (_gate)
        {
            Refresh();
            if (next <= _nextSeq)
            {
                return;
            }

            using (var tx = _db.BeginTransaction())
            {
                OutboxSql.WriteMeta(_db, tx, OutboxSchema.NextSequence, next);
                tx.Commit();
            }

            UplinkLog.SequenceRaised(_log, Path, _nextSeq, next, hubMark);
            _nextSeq = next;
        }
    }

    /// <summary>The outbox's state as the hub sees it in every batch.</summary>
    public Contracts.OutboxReport Report()
    {
        lock (_gate)
        {
            Refresh();
            var oldest = OutboxSql.Scalar(_db, null, "SELECT created_ms FROM outbox_records ORDER BY seq LIMIT 1");
            return new Contracts.OutboxReport(
                _backlogRecords,
                _backlogBytes,
                oldest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
                Counter(OutboxSchema.DroppedOldest),
                Counter(OutboxSchema.RejectedNew),
                Counter(OutboxSchema.Quarantined));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _db.Dispose();
            _lock.Dispose();
        }
    }

    private long Counter(string key) => _counters.GetValueOrDefault(key);

    private void AddCounter(string key, long by) => _counters[key] = Counter(key) + by;

    private void WriteCounter(SqliteTransaction tx, string key, long by)
    {
        if (by != 0)
        {
            OutboxSql.WriteMeta(_db, tx, key, Counter(key) + by);
        }
    }

    /// <summary>Deletes the oldest unsent record (else the oldest sent one); returns its payload size, null when empty.</summary>
    private long? DropOne(SqliteTransaction tx)
    {
        var seq = OutboxSql.Scalar(_db, tx, "SELECT seq FROM outbox_records WHERE seq > $sent ORDER BY seq LIMIT 1", ("$sent", _sentUpTo))
            ?? OutboxSql.Scalar(_db, tx, "SELECT seq FROM outbox_records ORDER BY seq LIMIT 1");
        return seq is null ? null : OutboxSql.Scalar(_db, tx, "DELETE FROM outbox_records WHERE seq = $seq RETURNING length(payload)", ("$seq", seq.Value));
    }

    private void Load(SalvageResult? salvage)
    {
        using (var tx = _db.BeginTransaction())
        {
            if (salvage is not null)
            {
                long damaged = 0;
                foreach (var r in salvage.Records)
                {
                    if (OutboxPayload.Decode(r, out var problem) is null)
                    {
                        // A row cut by the damage: kept for inspection, never sent half-read.
                        OutboxSql.InsertDeadLetter(_db, tx, new DeadLetter(r.Sequence, r.CreatedUtc, r.Kind, r.Payload, _time.GetUtcNow(), $"salvaged from the quarantined outbox but unreadable: {problem}"));
                        damaged++;
                    }
                    else
                    {
                        OutboxSql.InsertRecord(_db, tx, r.Sequence, r.CreatedUtc.ToUnixTimeMilliseconds(), r.Kind, r.Payload);
                    }
                }

                foreach (var d in salvage.DeadLetters)
                {
                    OutboxSql.InsertDeadLetter(_db, tx, d);
                }

                foreach (var key in OutboxSchema.CounterKeys)
                {
                    var added = key switch
                    {
                        OutboxSchema.Quarantined => 1,
                        OutboxSchema.DeadLettered => damaged,
                        _ => 0,
                    };
                    OutboxSql.WriteMeta(_db, tx, key, salvage.Counters.GetValueOrDefault(key) + added);
                }

                OutboxSql.WriteMeta(_db, tx, OutboxSchema.NextSequence, salvage.Counters.GetValueOrDefault(OutboxSchema.NextSequence));
                if (salvage.Counters.TryGetValue(OutboxSchema.AckedUpTo, out var acked))
                {
                    // The salvaged records all lie above the old file's mark, so it still bounds them.
                    OutboxSql.WriteMeta(_db, tx, OutboxSchema.AckedUpTo, acked);
                }
            }

            foreach (var key in OutboxSchema.CounterKeys)
            {
                _counters[key] = OutboxSql.ReadMeta(_db, tx, key) ?? 0;
            }

            // Never below the floor, nor at or below a sequence already stored (a salvaged file may have lost its counter).
            var highest = Math.Max(
                OutboxSql.Scalar(_db, tx, "SELECT max(seq) FROM outbox_records") ?? 0,
                OutboxSql.Scalar(_db, tx, "SELECT max(seq) FROM outbox_dead_letters") ?? 0);
            var stored = OutboxSql.ReadMeta(_db, tx, OutboxSchema.NextSequence);
            var floor = stored is null || salvage is not null ? OutboxSchema.SequenceFloor(_time.GetUtcNow()) : 0;
            _nextSeq = Math.Max(Math.Max(stored ?? 0, highest + 1), floor);
            OutboxSql.WriteMeta(_db, tx, OutboxSchema.NextSequence, _nextSeq);
            var lowest = Math.Min(
                OutboxSql.Scalar(_db, tx, "SELECT min(seq) FROM outbox_records") ?? _nextSeq,
                OutboxSql.Scalar(_db, tx, "SELECT min(seq) FROM outbox_dead_letters") ?? _nextSeq);
            var first = OutboxSql.ReadMeta(_db, tx, OutboxSchema.FirstSequence) ?? _nextSeq;
            OutboxSql.WriteMeta(_db, tx, OutboxSchema.FirstSequence, Math.Min(Math.Min(first, lowest), _nextSeq));
            ReadBacklog(tx);
            tx.Commit();
        }

        _dataVersion = DataVersion(null);
    }

    /// <summary>
    /// Rereads the sequence, backlog and counters when another process committed to the file since this store last
    /// looked (an <c>aifactory-edge outbox requeue</c>). Inside a write transaction no one else can commit, so what it
    /// reads there holds until the commit.
    /// </summary>
    private void Refresh(SqliteTransaction? tx = null)
    {
        var version = DataVersion(tx);
        if (version == _dataVersion)
        {
            return;
        }

        _nextSeq = Math.Max(_nextSeq, OutboxSql.ReadMeta(_db, tx, OutboxSchema.NextSequence) ?? 0);
        foreach (var key in OutboxSchema.CounterKeys)
        {
            _counters[key] = OutboxSql.ReadMeta(_db, tx, key) ?? 0;
        }

        ReadBacklog(tx);
        _dataVersion = version;
    }

    private long DataVersion(SqliteTransaction? tx) => OutboxSql.Scalar(_db, tx, "PRAGMA data_version") ?? 0;

    private void ReadBacklog(SqliteTransaction? tx)
    {
        using var command = OutboxSql.Command(_db, tx, "SELECT count(*), coalesce(sum(length(payload)), 0) FROM outbox_records");
        using var reader = command.ExecuteReader();
        reader.Read();
        _backlogRecords = reader.GetInt64(0);
        _backlogBytes = reader.GetInt64(1);
    }
}
