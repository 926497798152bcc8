using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Live;

/// <summary>A line's live state: the sum of its stations, pushed on to its plant.</summary>
public sealed class LineGrain(LiveStore store, IOptions<LiveOptions> options, [FromKeyedServices(LiveOptions.ClockKey)] TimeProvider time, ILogger<LineGrain> log)
    : ScopeGrain(store, options, time, log), ILineGrain
{
    protected override ILiveScopeGrain Parent() => GrainFactory.GetGrain<IPlantGrain>(ScopeKeys.Of(ScopeKeys.Parent(Scope)!));
}
