using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Alliance;

/// <summary>Registers and maps the alliance features.</summary>
public static class AllianceServices
{
    public static IServiceCollection AddAlliance(this IServiceCollection services)
    {
        services.AddOptions<AllianceOptions>().BindConfiguration(AllianceOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AllianceOptions>, AllianceOptionsValidator>();
        services.TryAddSingleton<NoiseSource, CryptoNoiseSource>();
        services.AddSingleton<AllianceStore>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<PrivacyLedger>();
        services.AddSingleton<LineDayRollup>();
        services.AddSingleton<BenchmarkQuery>();
        services.AddSingleton<StandingQuery>();
        services.AddSingleton<DataRoomStore>();
        services.AddHostedService<LineDayRollupService>();
        return services;
    }

    public static void MapAlliance(this IEndpointRouteBuilder routes)
    {
        AllianceAdminEndpoints.Map(routes);
        AllianceEndpoints.Map(routes);
        DataRoomEndpoints.Map(routes);
    }
}
