using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Ingest;

/// <summary><c>POST /api/v1/ingest</c>: an edge's gzip or plain JSON <see cref="UplinkBatch"/>, applied exactly once.</summary>
public static partial class IngestEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/v1/ingest", HandleAsync).RequireAuthorization();

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        IOptions<HubOptions> options,
        IBatchAggregator aggregator,
        StationRegistry registry,
        HubMetrics metrics,
        IBatchForwarder forwarder,
        ILoggerFactory loggers,
        IngestBufferPool buffers)
    {
        var log = loggers.CreateLogger("AiFactory.Hub.Ingest");
        var started = Stopwatch.GetTimestamp();
        var caller = context.Caller();
        try
        {
            if (caller.Role != HubRole.Edge)
            {
                throw HubProblemException.Forbidden($"key '{caller.KeyId}' (role {HubRoles.Name(caller.Role)}) is not an edge key; only edges upload results.");
            }

            var limits = options.Value.Ingest;
            var batch = await ReadBatchAsync(context, limits, buffers).ConfigureAwait(false);
            BatchValidator.CheckShape(batch, limits.MaxRecords);
            var named = batch.Records.Select(r => BatchValidator.Place(r)).Select(p => (p.Line, p.Station)).Distinct().ToList();
            var registered = await registry.ForBatchAsync(caller.CompanyId!, caller.PlantId!, named, context.RequestAborted).ConfigureAwait(false);
            BatchValidator.CheckOwnership(batch, caller, registered);
            var outcome = await aggregator.ApplyAsync(caller, batch, context.RequestAborted).ConfigureAwait(false);
            var ack = outcome.Ack;
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            metrics.Accepted(ack.Applied, ack.Duplicates, ms);
            if (ack.Applied > 0)
            {
                forwarder.Forward(batch.EdgeId, outcome.Applied);
            }

            LogApplied(log, batch.EdgeId, batch.FirstSequence, batch.LastSequence, ack.Applied, ack.Duplicates, ms);
            return Results.Json(ack, AiFactoryJsonContext.Default.UplinkAck);
        }
        catch (HubProblemException ex)
        {
            metrics.Refused(ex.Status);
            LogRefused(log, caller.EdgeId ?? caller.KeyId, ex.Status, ex.Message);
            return Results.Problem(ex.Message, statusCode: ex.Status, title: ex.Title);
        }
    }

    private static async Task<UplinkBatch> ReadBatchAsync(HttpContext context, IngestLimits limits, IngestBufferPool buffers)
    {
        var request = context.Request;
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new HubProblemException(415, "Unsupported media type", $"content type '{request.ContentType}' is not application/json.");
        }

        if (request.ContentLength > limits.MaxRequestBytes)
        {
            throw HubProblemException.TooLarge($"body of {request.ContentLength} bytes exceeds the limit of {limits.MaxRequestBytes} bytes; send smaller batches.");
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limits.MaxRequestBytes + 1;
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            throw new HubProblemException(415, "Unsupported media type", $"content encoding '{encoding}' is not supported; use gzip or none.");
        }

        Stream body = new LimitedReadStream(request.Body, limits.MaxRequestBytes, "body");
        await using var inflater = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : null;
        var source = inflater is null ? body : new LimitedReadStream(inflater, limits.MaxInflatedBytes, "inflated body");

        // The whole (inflated) body is read into a pooled buffer and parsed in one synchronous pass: much cheaper than
        // streaming deserialisation, which must be able to stop and resume inside any value. The buffer grows to at
        // most one byte past the limit (the byte that proves the body too large); only small buffers are pooled.
        var most = (int)Math.Min((gzip ? limits.MaxInflatedBytes : limits.MaxRequestBytes) + 1, Array.MaxLength);
        var buffer = buffers.Rent(gzip ? 256 * 1024 : (int)Math.Clamp(request.ContentLength ?? 65536, 1024, limits.MaxRequestBytes) + 1);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = buffers.Rent((int)Math.Min(buffer.Length * 2L, Math.Max(most, buffer.Length + 1L)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    buffers.Return(buffer);
                    buffer = larger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), AiFactoryJsonContext.Default.UplinkBatch)
                ?? throw HubProblemException.BadRequest("body is JSON null; an UplinkBatch object is expected.");
        }
        catch (JsonException ex)
        {
            throw HubProblemException.BadRequest($"body is not a valid UplinkBatch: {ex.Message}");
        }
        catch (InvalidDataException ex)
        {
            throw HubProblemException.BadRequest($"body is not valid gzip: {ex.Message}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == 413)
        {
            throw HubProblemException.TooLarge($"body exceeds the limit of {limits.MaxRequestBytes} bytes; send smaller batches.");
        }
        finally
        {
            buffers.Return(buffer);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Applied batch from {Edge} [{First}..{Last}]: {Applied} new, {Duplicates} duplicate, {Ms:F1} ms")]
    private static partial void LogApplied(ILogger log, string edge, long first, long last, int applied, int duplicates, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a batch from {Edge} with {Status}: {Detail}")]
    private static partial void LogRefused(ILogger log, string edge, int status, string detail);
}
