using System.Text.Json;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using Dapper;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// Data-room offers: a company offers one opted-in station's raw chunks over a span, de-identified, to named member
/// companies (or all) for a purpose until a time. Every grant check reads the offer's row again, so a revocation or an
/// expiry stops the next access; every listing, read and export is audited, reads and exports under the offering
/// company, so its admin sees who took what.
/// </summary>
public sealed class DataRoomStore(HubDatabase database, FleetQuery fleet, TimeProvider time)
{
    public async Task<RoomOffer> OfferAsync(AuditActor actor, string alliance, string company, OfferRequest body, CancellationToken ct)
    {
        TenancyIds.Check("offer", body.Id);
        TenancyIds.Check("plant", body.Plant);
        TenancyIds.Check("line", body.Line);
        TenancyIds.Check("station", body.Station);
        var grantees = (body.Grantees ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var g in grantees)
        {
            TenancyIds.Check("grantees entry", g);
        }

        var from = body.From ?? throw HubProblemException.BadRequest("from is missing: an offer covers the raw chunks of a span [from, to).");
        var to = body.To ?? throw HubProblemException.BadRequest("to is missing: an offer covers the raw chunks of a span [from, to).");
        if (from >= to)
        {
            throw HubProblemException.BadRequest($"from ({from:O}) must be before to ({to:O}).");
        }

        var now = time.GetUtcNow();
        var expires = body.Expires ?? throw HubProblemException.BadRequest("expires is missing: every offer has an expiry (ISO 8601 time).");
        if (expires <= now)
        {
            throw HubProblemException.BadRequest($"expires {expires:O} is not in the future.");
        }

        if (body.Purpose is not "model-development")
        {
            throw HubProblemException.BadRequest($"purpose '{body.Purpose}' is not one a data room serves; use model-development.");
        }

        var deid = body.Deidentification ?? new Deidentification();
        Deidentification.Check(deid);
        var offer = new RoomOffer(body.Id!, alliance, company, body.Plant!, body.Line!, body.Station!, from, to, body.Purpose, grantees, expires, deid, now, null);
        await database.WriteAsync(
            async (c, tx) =>
            {
                if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stations WHERE company_id = @company AND plant_id = @p AND line_id = @l AND id = @s",
                    new { company, p = offer.PlantId, l = offer.LineId, s = offer.StationId }, tx).ConfigureAwait(false) == 0)
                {
                    throw HubProblemException.NotFound($"station '{offer.StationId}' on line '{offer.LineId}' of plant '{offer.PlantId}' does not exist in company '{company}'.");
                }

                await AllianceStore.InsertAsync(c, tx,
                    """
                    INSERT INTO room_offers (id, alliance_id, company_id, plant_id, line_id, station_id, from_utc, to_utc, purpose, grantees, expires_utc, deidentification, created_utc)
                    VALUES (@Id, @AllianceId, @CompanyId, @PlantId, @LineId, @StationId, @from, @to, @Purpose, @grantees, @expires, @deid, @now)
                    """,
                    new
                    {
                        offer.Id, offer.AllianceId, offer.CompanyId, offer.PlantId, offer.LineId, offer.StationId, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(),
                        offer.Purpose, grantees = string.Join(',', grantees), expires = expires.ToUnixTimeMilliseconds(), deid = JsonSerializer.Serialize(deid, Json), now = now.ToUnixTimeMilliseconds(),
                    },
                    $"offer '{offer.Id}'").ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, now.ToUnixTimeMilliseconds(), actor, "room.offer", company, $"{alliance}/offers/{offer.Id}", null, offer).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
        return offer;
    }

    public async Task<IReadOnlyList<RoomOffer>> OffersAsync(string alliance, string company, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<Row>(Select + " WHERE alliance_id = @alliance AND company_id = @company ORDER BY id", new { alliance, company }).ConfigureAwait(false))
            .Select(r => r.ToOffer()).ToList();
    }

    public async Task RevokeAsync(AuditActor actor, string alliance, string company, string id, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var done = await database.WriteAsync(
            async (c, tx) =>
            {
                var old = (await c.QuerySingleOrDefaultAsync<Row>(Select + " WHERE id = @id AND alliance_id = @alliance AND company_id = @company", new { id, alliance, company }, tx).ConfigureAwait(false))?.ToOffer();
                if (old is null || old.Revoked is not null)
                {
                    return false;
                }

                await c.ExecuteAsync("UPDATE room_offers SET revoked_utc = @now WHERE id = @id", new { id, now }, tx).ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, now, actor, "room.revoke", company, $"{alliance}/offers/{id}", new { revokedUtc = (DateTimeOffset?)null },
                    new { revokedUtc = DateTimeOffset.FromUnixTimeMilliseconds(now) }).ConfigureAwait(false);
                return true;
            },
            ct).ConfigureAwait(false);
        if (!done)
        {
            throw HubProblemException.NotFound($"offer '{id}' of company '{company}' does not exist or is already revoked.");
        }
    }

    /// <summary>The offers granted now to <paramref name="company"/>'s data scientists; the listing is audited.</summary>
    public async Task<IReadOnlyList<RoomDataset>> DatasetsAsync(AuditActor actor, string alliance, string company, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await database.WriteAsync(
            async (c, tx) =>
            {
                var rows = (await c.QueryAsync<Row>(Select + " WHERE alliance_id = @alliance AND revoked_utc IS NULL AND expires_utc > @now ORDER BY id",
                    new { alliance, now = now.ToUnixTimeMilliseconds() }, tx).ConfigureAwait(false)).Select(r => r.ToOffer()).Where(o => Granted(o, company, now)).ToList();
                await AuditLog.WriteAsync(c, tx, now.ToUnixTimeMilliseconds(), actor, "room.list", company, $"{alliance}/datasets", null, new { datasets = rows.Select(o => o.Id) }).ConfigureAwait(false);
                return (IReadOnlyList<RoomDataset>)rows.Select(o => new RoomDataset(o.Id, o.Purpose, o.Deidentification.Time(o.From), o.Deidentification.Time(o.To), o.Expires)).ToList();
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The de-identified chunks of a granted offer (at most <paramref name="limit"/>, oldest first), audited as
    /// <paramref name="action"/> under the offering company; 404 for an offer not granted now (never granted, revoked, expired).
    /// </summary>
    public async Task<IReadOnlyList<RoomChunk>> ReadAsync(AuditActor actor, string alliance, string company, string id, string action, int limit, CancellationToken ct)
    {
        TenancyIds.Check("path dataset", id);
        var now = time.GetUtcNow();
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var offer = (await c.QuerySingleOrDefaultAsync<Row>(Select + " WHERE id = @id AND alliance_id = @alliance", new { id, alliance }).ConfigureAwait(false))?.ToOffer();
        if (offer is null || !Granted(offer, company, now))
        {
            throw HubProblemException.NotFound($"dataset '{id}' is not granted to company '{company}' (never offered to it, revoked or expired).");
        }

        var raw = await fleet.RawAsync(offer.CompanyId, offer.PlantId, offer.LineId, offer.StationId, offer.From, offer.To, limit, ct).ConfigureAwait(false);
        var chunks = raw.Select(r => Disguise(offer.Deidentification, r)).ToList();
        // The access is recorded before anything is returned: a read whose audit entry cannot be written fails.
        await database.WriteAsync(
            async (w, tx) =>
            {
                await AuditLog.WriteAsync(w, tx, now.ToUnixTimeMilliseconds(), actor, action, offer.CompanyId, $"{alliance}/offers/{id}", null,
                    new { grantee = company, chunks = chunks.Count, rows = chunks.Sum(x => x.Rows.Count) }).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
        return chunks;
    }

    private static RoomChunk Disguise(Deidentification d, RawChunkRow r)
    {
        var tags = r.Tags.Select((t, i) => d.TagName(t, i)).ToList();
        var rows = r.Rows.Select(row => new AiFactory.Contracts.RawRow(d.Time(row.Time), row.Values.Select((v, i) => d.Value(r.Tags[i], v)).ToList())).ToList();
        return new RoomChunk(tags, rows);
    }

    private static bool Granted(RoomOffer o, string company, DateTimeOffset now) =>
        o.Revoked is null && o.Expires > now && (o.Grantees.Count == 0 || o.Grantees.Contains(company, StringComparer.Ordinal) || o.CompanyId == company);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Select =
        "SELECT id AS Id, alliance_id AS AllianceId, company_id AS CompanyId, plant_id AS PlantId, line_id AS LineId, station_id AS StationId, from_utc AS FromUtc, to_utc AS ToUtc, purpose AS Purpose, grantees AS Grantees, expires_utc AS Expires, deidentification AS Deid, created_utc AS Created, revoked_utc AS Revoked FROM room_offers";

    private sealed record Row(
        string Id, string AllianceId, string CompanyId, string PlantId, string LineId, string StationId, long FromUtc, long ToUtc, string Purpose, string Grantees,
        long Expires, string Deid, long Created, long? Revoked)
    {
        public RoomOffer ToOffer() => new(
            Id, AllianceId, CompanyId, PlantId, LineId, StationId, T(FromUtc), T(ToUtc), Purpose, Grantees.Split(',', StringSplitOptions.RemoveEmptyEntries),
            T(Expires), JsonSerializer.Deserialize<Deidentification>(Deid, Json)!, T(Created), Revoked is { } r ? T(r) : null);

        private static DateTimeOffset T(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
