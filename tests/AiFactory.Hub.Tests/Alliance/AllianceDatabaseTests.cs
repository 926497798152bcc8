using AiFactory.Testing;

namespace AiFactory.Hub.Tests.Alliance;

[Trait("Category", "Integration")]
public sealed class AllianceDatabaseTests
{
    [Fact]
    public Task OnSqlite_ConcurrentQueries_SpendExactlyTheBudget() => AllianceScenarios.ConcurrentQueries_SpendExactlyTheBudget(postgres: false);

    [PostgresFact]
    public Task OnPostgres_ConcurrentQueries_SpendExactlyTheBudget() => AllianceScenarios.ConcurrentQueries_SpendExactlyTheBudget(postgres: true);

    [Fact]
    public Task OnSqlite_RevocationAndDifferencing_AndAppendOnlyAudit() => AllianceScenarios.RevocationAndDifferencing_AndAppendOnlyAudit(postgres: false);

    [PostgresFact]
    public Task OnPostgres_RevocationAndDifferencing_AndAppendOnlyAudit() => AllianceScenarios.RevocationAndDifferencing_AndAppendOnlyAudit(postgres: true);
}
