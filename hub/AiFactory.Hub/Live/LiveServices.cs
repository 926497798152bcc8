using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Live;

/// <summary>Registers what the live grains and views need besides the silo itself.</summary>
public static class LiveServices
{
    public static IServiceCollection AddLiveState(this IServiceCollection services)
    {
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LiveOptions>, LiveOptionsValidator>();
        services.TryAddKeyedSingleton<TimeProvider>(LiveOptions.ClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddSingleton<LiveStore>();
        services.AddSingleton<LiveFeeds>();
        return services;
    }
}
