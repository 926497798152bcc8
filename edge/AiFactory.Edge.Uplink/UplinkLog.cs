using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Uplink;

/// <summary>The uplink's log lines (event ids 5000–5099).</summary>
internal static partial class UplinkLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Outbox {Path}: opened, {Records} records ({Bytes} bytes) waiting, next sequence {Next}")]
    public static partial void Opened(ILogger log, string path, long records, long bytes, long next);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Outbox {Path} is corrupt ({Problem}); moved aside to {Aside}, {Salvaged} records and {DeadLetters} dead letters salvaged into a fresh outbox")]
    public static partial void Quarantined(ILogger log, string path, string problem, string aside, int salvaged, int deadLetters);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Outbox {Path}: salvage of {Aside} stopped early: {Problem}")]
    public static partial void SalvageProblem(ILogger log, string path, string aside, string problem);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Outbox {Path} full ({Limit}): dropped the {Dropped} oldest unsent record(s) under drop-oldest; {Total} dropped in its lifetime ({Suppressed} similar lines held back)")]
    public static partial void DroppedOldest(ILogger log, string path, string limit, long dropped, long total, long suppressed);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Outbox {Path} full ({Limit}): refused {Rejected} new record(s) under reject-new; {Total} refused in its lifetime ({Suppressed} similar lines held back)")]
    public static partial void RejectedNew(ILogger log, string path, string limit, long rejected, long total, long suppressed);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "Outbox {Path}: record {Sequence} moved to the dead-letter table: {Reason}")]
    public static partial void DeadLettered(ILogger log, string path, long sequence, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Outbox {Path}: next sequence raised from {From} to {To} because the hub has applied up to {HubMark} for this edge")]
    public static partial void SequenceRaised(ILogger log, string path, long from, long to, long hubMark);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Uplink to {Hub}: {Records} records {First}..{Last} acknowledged ({Applied} applied, {Duplicates} already there)")]
    public static partial void Acked(ILogger log, string hub, int records, long first, long last, int applied, int duplicates);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Uplink to {Hub}: not delivered ({Problem}); every record is kept, retrying in {DelayMs} ms ({Suppressed} similar lines held back)")]
    public static partial void Retrying(ILogger log, string hub, string problem, long delayMs, long suppressed);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "Uplink to {Hub}: the hub refuses this edge's key ({Status}: {Problem}); every record is kept, retrying in {DelayMs} ms. Check uplink.api_key and the edge's registration on the hub ({Suppressed} similar lines held back)")]
    public static partial void KeyRefused(ILogger log, string hub, int status, string problem, long delayMs, long suppressed);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Information, Message = "Uplink to {Hub}: the hub found batch {First}..{Last} too large; sending it in two halves")]
    public static partial void Splitting(ILogger log, string hub, long first, long last);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Error, Message = "Uplink to {Hub}: the hub answered {Status} that this edge does not expect ({Problem}); every record is kept, retrying in {DelayMs} ms ({Suppressed} similar lines held back)")]
    public static partial void Unexpected(ILogger log, string hub, int status, string problem, long delayMs, long suppressed);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Information, Message = "Uplink: the hub answers again ({Health}) after {WaitedMs} ms of backing off; sending now instead of in {LeftMs} ms")]
    public static partial void HubAnswers(ILogger log, string health, long waitedMs, long leftMs);

    [LoggerMessage(EventId = 5016, Level = LogLevel.Error, Message = "Uplink to {Hub}: a step failed unexpectedly; every record is kept and the uplink goes on after a backoff ({Suppressed} similar lines held back)")]
    public static partial void StepFailed(ILogger log, Exception ex, string hub, long suppressed);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Error, Message = "Uplink: station {Station}: cannot store the window {Start:o}..{End:o} in the outbox: {Problem}")]
    public static partial void AppendFailed(ILogger log, string station, DateTimeOffset start, DateTimeOffset end, string problem);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "Uplink: station {Station}: data-quality counters could not be read: {Problem}")]
    public static partial void QualityFailed(ILogger log, string station, string problem);
}
