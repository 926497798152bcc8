using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using AiFactory.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiFactory.Testing;

/// <summary>
/// An in-process ingest endpoint on 127.0.0.1 (port 0) that behaves as docs/hub-api.md says: gzip bodies, bearer
/// key, applies each record whose sequence is above the edge's high-water mark and answers an UplinkAck. Tests
/// script failures in front of that: a status to answer, a batch size it calls too large, records it refuses.
/// </summary>
public sealed class FakeIngestHub : IAsyncDisposable
{
    /// <summary>A scripted answer that applies the batch and then drops the connection, as a hub killed before replying.</summary>
    public const int ApplyThenDrop = -1;

    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private readonly Dictionary<long, UplinkRecord> _applied = [];
    private readonly List<UplinkBatch> _batches = [];
    private readonly List<(string? Encoding, string? ContentType)> _headers = [];
    private long _highWater;
    private int _requests;
    private int _healthProbes;
    private volatile bool _down;
    private int _duplicates;
    private int _desiredServed;

    private FakeIngestHub(WebApplication app)
    {
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    public string Key { get; set; } = "edge-key";

    /// <summary>Answers given, one per request, before normal handling.</summary>
    public ConcurrentQueue<int> Script { get; } = new();

    /// <summary>Batches with more records answer 413.</summary>
    public int MaxRecords { get; set; } = int.MaxValue;

    /// <summary>A batch holding a record this matches answers 400 naming it.</summary>
    public Func<UplinkRecord, bool>? Refuse { get; set; }

    /// <summary>
    /// The models the edges should run (GET /api/v1/edges/{edge}/desired-state); null answers 404, as a hub without
    /// deployments. A poll whose etag is current is held up to a second (a short long-poll) and answered the same.
    /// </summary>
    public DesiredState? Desired { get; set; }

    /// <summary>Desired-state polls answered 200.</summary>
    public int DesiredServed => Volatile.Read(ref _desiredServed);

    public IReadOnlyList<UplinkBatch> Batches
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    public IReadOnlyList<(string? Encoding, string? ContentType)> Headers
    {
        get
        {
            lock (_gate)
            {
                return [.. _headers];
            }
        }
    }

    /// <summary>Applied records by sequence.</summary>
    public IReadOnlyDictionary<long, UplinkRecord> Applied
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<long, UplinkRecord>(_applied);
            }
        }
    }

    /// <summary>While true every request, health probes included, is cut before an answer, as a hub that is down.</summary>
    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>GET /health/live requests, answered or cut.</summary>
    public int HealthProbes => Volatile.Read(ref _healthProbes);

    /// <summary>Every request, refused ones included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int AppliedCount
    {
        get
        {
            lock (_gate)
            {
                return _applied.Count;
            }
        }
    }

    public int Duplicates
    {
        get
        {
            lock (_gate)
            {
                return _duplicates;
            }
        }
    }

    public long HighWater
    {
        get
        {
            lock (_gate)
            {
                return _highWater;
            }
        }

        set
        {
            lock (_gate)
            {
                _highWater = value;
            }
        }
    }

    public static async Task<FakeIngestHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var hub = new FakeIngestHub(app);
        app.MapPost("/api/v1/ingest", (Func<HttpContext, Task<IResult>>)hub.IngestAsync);
        app.MapGet("/health/live", (Func<HttpContext, IResult>)hub.Live);
        app.MapGet("/api/v1/edges/{edge}/desired-state", (Func<HttpContext, string, Task<IResult>>)hub.DesiredAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        hub.Url = new Uri(address.TrimEnd('/') + "/");
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private IResult Live(HttpContext context)
    {
        Interlocked.Increment(ref _healthProbes);
        if (_down)
        {
            context.Abort();
            return TypedResults.Empty;
        }

        return TypedResults.Text("Healthy");
    }

    private async Task<IResult> DesiredAsync(HttpContext context, string edge)
    {
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
        {
            return TypedResults.Problem(statusCode: 401, detail: "unknown or revoked key");
        }

        if (Desired is not { } desired)
        {
            return TypedResults.Problem(statusCode: 404, detail: $"no desired state for edge '{edge}'");
        }

        if (context.Request.Query["etag"] == desired.Etag)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
        }

        Interlocked.Increment(ref _desiredServed);
        return TypedResults.Json(Desired ?? desired, AiFactoryJsonContext.Default.DesiredState);
    }

    private async Task<IResult> IngestAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (_down)
        {
            context.Abort();
            return TypedResults.Empty;
        }

        var request = context.Request;
        if (request.Headers.Authorization.ToString() != $"Bearer {Key}")
        {
            return TypedResults.Problem(statusCode: 401, detail: "unknown or revoked key");
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        UplinkBatch? batch;
        try
        {
            await using var body = encoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
            batch = await JsonSerializer.DeserializeAsync(body, AiFactoryJsonContext.Default.UplinkBatch);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return TypedResults.Problem(statusCode: 400, detail: $"body: {ex.Message}");
        }

        if (batch is null)
        {
            return TypedResults.Problem(statusCode: 400, detail: "body: null");
        }

        lock (_gate)
        {
            _batches.Add(batch);
            _headers.Add((encoding, request.ContentType));
        }

        var scripted = Script.TryDequeue(out var status);
        if (scripted && status > 0)
        {
            return TypedResults.Problem(statusCode: status, detail: $"scripted {status}");
        }

        if (batch.Records.Count > MaxRecords)
        {
            return TypedResults.Problem(statusCode: 413, detail: $"{batch.Records.Count} records; at most {MaxRecords}");
        }

        if (Refuse is { } refuse && batch.Records.FirstOrDefault(refuse) is { } bad)
        {
            return TypedResults.Problem(statusCode: 400, detail: $"records[{bad.Sequence}].event.stationId: not registered under plant 'p1'");
        }

        UplinkAck ack;
        lock (_gate)
        {
            int applied = 0, duplicates = 0;
            foreach (var record in batch.Records)
            {
                if (record.Sequence > _highWater)
                {
                    _applied.Add(record.Sequence, record);
                    _highWater = record.Sequence;
                    applied++;
                }
                else
                {
                    duplicates++;
                }
            }

            _duplicates += duplicates;
            ack = new UplinkAck(batch.EdgeId, _highWater, applied, duplicates);
        }

        if (scripted && status == ApplyThenDrop)
        {
            context.Abort();
            return TypedResults.Empty;
        }

        return TypedResults.Json(ack, AiFactoryJsonContext.Default.UplinkAck);
    }
}
