namespace AiFactory.Hub.Live;

/// <summary>A station, keyed "company/plant/line/station": fed by edge grains, pushes to its line.</summary>
public interface IStationGrain : IGrainWithStringKey
{
    Task ApplyAsync(StationDelta delta);

    /// <summary>The station's rolling KPIs now.</summary>
    Task<LiveKpis> KpisAsync();
}
