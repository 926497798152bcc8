namespace AiFactory.Hub.Live;

/// <summary>A line, keyed "company/plant/line": sums its stations.</summary>
public interface ILineGrain : ILiveScopeGrain;
