using AiFactory.Hub.Live;
using AiFactory.Hub.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Alarms;

/// <summary>Registers alarm rules' storage, evaluation and delivery.</summary>
public static class AlarmServices
{
    public static IServiceCollection AddAlarms(this IServiceCollection services)
    {
        services.AddOptions<AlarmOptions>().BindConfiguration(AlarmOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlarmOptions>, AlarmOptionsValidator>();
        services.AddSingleton<AlarmOutbox>();
        services.AddSingleton(sp => new AlarmStore(
            sp.GetRequiredService<HubDatabase>(), sp.GetRequiredService<AlarmOutbox>(), sp.GetRequiredKeyedService<TimeProvider>(LiveOptions.ClockKey)));
        services.AddSingleton(sp => new AlarmProbe(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<HubDatabase>(), sp.GetRequiredKeyedService<TimeProvider>(LiveOptions.ClockKey)));
        services.AddSingleton<AlarmDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<AlarmDelivery>());
        services.AddSingleton<AlarmCommands>();
        services.AddHostedService<AlarmWatcher>();
        return services;
    }
}
