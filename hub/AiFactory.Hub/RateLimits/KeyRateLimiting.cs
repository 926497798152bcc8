using System.Globalization;
using System.Threading.RateLimiting;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.RateLimits;

/// <summary>
/// ASP.NET Core's rate limiter partitioned by the authenticated key (<see cref="HubCaller.KeyId"/>), or by the client
/// address when the request carries no valid key; a refused request answers 429 problem+json with Retry-After.
/// </summary>
public static class KeyRateLimiting
{
    public static IServiceCollection AddKeyRateLimits(this IServiceCollection services, RateLimitOptions options)
    {
        if (!options.Enabled)
        {
            return services;
        }

        var (tokens, period) = options.Refill();
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(Partition(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = tokens,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = (rejected, _) => RejectAsync(rejected, options);
        });
    }

    /// <summary>After authentication, so the partition is the key that was checked.</summary>
    public static IApplicationBuilder UseKeyRateLimits(this IApplicationBuilder app, RateLimitOptions options) =>
        options.Enabled ? app.UseRateLimiter() : app;

    private static string Partition(HttpContext context) =>
        context.Features.Get<HubCaller>() is { } caller
            ? "key:" + caller.KeyId
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static async ValueTask RejectAsync(OnRejectedContext rejected, RateLimitOptions options)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.RequestServices.GetRequiredService<HubMetrics>().Refused(StatusCodes.Status429TooManyRequests);
        var who = context.Features.Get<HubCaller>() is { } caller ? $"key '{caller.KeyId}'" : "this client address";
        await Results.Problem(
            $"{who} made more than {options.Burst} requests at once or {options.RequestsPerMinute} a minute (Hub:RateLimit); retry after {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context).ConfigureAwait(false);
    }
}
