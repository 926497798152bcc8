using AiFactory.Onnx;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Models;

/// <summary>Registers the model registry: signing keys, package validation (ONNX Runtime) and storage.</summary>
public static class ModelServices
{
    public static IServiceCollection AddModels(this IServiceCollection services)
    {
        services.AddSingleton(_ => OnnxEnvironment.Create("aifactory-hub"));
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<PackageValidator>();
        services.AddSingleton<ModelRegistry>();
        return services;
    }
}
