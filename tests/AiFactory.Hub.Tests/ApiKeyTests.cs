using AiFactory.Hub.Tenancy;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Unit")]
public sealed class ApiKeyTests
{
    [Fact]
    public void Generated_ParsesBackAndMatchesOnlyItsHash()
    {
        var (id, key, hash) = ApiKey.Generate();

        Assert.True(ApiKey.TryParse(key, out var parsedId, out var secret));
        Assert.Equal(id, parsedId);
        Assert.True(ApiKey.Matches(secret, hash));
        Assert.False(ApiKey.Matches(secret + "x", hash));
        Assert.DoesNotContain(secret, hash, StringComparison.Ordinal);
        Assert.NotEqual(key, ApiKey.Generate().Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("aif_")]
    [InlineData("aif_abc")]
    [InlineData("aif_abc_")]
    [InlineData("aif__secret")]
    [InlineData("xyz_abc_secret")]
    public void NotAKey_DoesNotParse(string? presented) => Assert.False(ApiKey.TryParse(presented, out _, out _));
}
