namespace AiFactory.Hub.Live;

/// <summary>A plant, keyed "company/plant": sums its lines and shows its edges online or offline.</summary>
public interface IPlantGrain : ILiveScopeGrain
{
    Task EdgeChangedAsync(EdgeLive edge);
}
