using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace AiFactory.Hub.Alliance;

/// <summary>The company sets of every cell released without differential privacy, per alliance, process type and metric.</summary>
public static class ReleaseLedger
{
    public static async Task<IReadOnlyList<IReadOnlySet<string>>> ReadAsync(DbConnection c, DbTransaction tx, string alliance, string processType, string metric) =>
        (await c.QueryAsync<string>("SELECT members FROM alliance_releases WHERE alliance_id = @alliance AND process_type = @processType AND metric = @metric",
            new { alliance, processType, metric }, tx).ConfigureAwait(false))
        .Select(m => (IReadOnlySet<string>)m.Split(',').ToHashSet(StringComparer.Ordinal)).ToList();

    public static Task AddAsync(DbConnection c, DbTransaction tx, string alliance, string processType, string metric, IReadOnlySet<string> companies, string queryId, DateTimeOffset now)
    {
        var members = string.Join(',', companies.Order(StringComparer.Ordinal));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(members)));
        return c.ExecuteAsync(
            """
            INSERT INTO alliance_releases (alliance_id, process_type, metric, members_hash, members, query_id, released_utc)
            VALUES (@alliance, @processType, @metric, @hash, @members, @queryId, @now) ON CONFLICT DO NOTHING
            """,
            new { alliance, processType, metric, hash, members, queryId, now = now.ToUnixTimeMilliseconds() }, tx);
    }
}
