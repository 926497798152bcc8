namespace AiFactory.Hub.Live;

/// <summary>A company, keyed by its id: sums its plants, fed by them on timers (never by ingest directly).</summary>
public interface ICompanyGrain : ILiveScopeGrain;
