using System.Globalization;
using AiFactory.Hub.Dashboard;
using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Tests.Dashboard;

/// <summary>Times in a session's zone: conversion, the offset shown (summer time included), ISO 8601 for CSV, typed local times.</summary>
[Trait("Category", "Unit")]
public sealed class DashboardTimeTests
{
    private static readonly DateTimeOffset NightShift = new(2026, 12, 6, 17, 0, 0, TimeSpan.Zero); // 02:00 in Seoul, the 7th

    [Theory]
    [InlineData("en")]
    [InlineData("ko")]
    public void Full_ShowsTheZonesWallClockInTheCulture_WithItsOffset(string culture)
    {
        using var _ = new CultureScope(culture);

        var shown = Zone("Asia/Seoul").Full(NightShift);

        Assert.Equal(new DateTime(2026, 12, 7, 2, 0, 0).ToString("G", CultureInfo.CurrentCulture) + " (UTC+09:00)", shown);
    }

    [Fact]
    public void Full_FollowsSummerTime_AndShowsUtcPlainly()
    {
        using var _ = new CultureScope("en");
        var newYork = Zone("America/New_York");

        Assert.EndsWith("(UTC-04:00)", newYork.Full(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero)), StringComparison.Ordinal);
        Assert.EndsWith("(UTC-05:00)", newYork.Full(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero)), StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 12, 6, 17, 0, 0).ToString("G", CultureInfo.CurrentCulture) + " (UTC)", DashboardTime.Utc.Full(NightShift));
        Assert.Equal("–", DashboardTime.Utc.Full(null));
        Assert.Equal("Asia/Seoul (UTC+09:00)", Zone("Asia/Seoul").Describe(NightShift));
    }

    [Fact]
    public void Iso_CarriesTheOffsetOfThatMoment()
    {
        Assert.Equal("2026-12-07T02:00:00+09:00", Zone("Asia/Seoul").Iso(NightShift));
        Assert.Equal("2026-07-01T08:00:00-04:00", Zone("America/New_York").Iso(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2026-12-06T17:00:00+00:00", DashboardTime.Utc.Iso(NightShift));
    }

    [Fact]
    public void Parse_ReadsALocalTimeInTheZone_AndATimeWithAnOffsetAsItSays()
    {
        var seoul = Zone("Asia/Seoul");

        Assert.Equal(NightShift, seoul.Parse("from", "2026-12-07T02:00"));
        Assert.Equal(NightShift, seoul.Parse("from", "2026-12-06T17:00Z"));
        Assert.Equal(NightShift, seoul.Parse("from", "2026-12-06T12:00:00-05:00"));
    }

    [Theory]
    [InlineData("2026-03-08T02:30", "history 'to' 2026-03-08T02:30 does not exist in America/New_York: the clocks skip it.")]
    [InlineData("yesterday", "history 'to' is 'yesterday', not a time (e.g. 2026-11-22T10:00).")]
    public void Parse_RefusesATimeTheClocksSkip_OrNoTime_NamingTheField(string text, string message)
    {
        var ex = Assert.Throws<HubProblemException>(() => Zone("America/New_York").Parse("to", text));

        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData(null)]
    public void TryFind_RefusesAnUnknownZone(string? id) => Assert.False(DashboardTime.TryFind(id, out _));

    private static DashboardTime Zone(string id) => DashboardTime.TryFind(id, out var zone) ? new DashboardTime(zone) : throw new InvalidOperationException($"no zone {id} on this machine");

    /// <summary>Sets the thread's culture for a test and puts it back.</summary>
    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture;

        public CultureScope(string name) => CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);

        public void Dispose() => CultureInfo.CurrentCulture = _culture;
    }
}
