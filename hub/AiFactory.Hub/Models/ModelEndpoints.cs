using AiFactory.Contracts;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiFactory.Hub.Models;

/// <summary>The registry's API: signing keys, pushing packages, listing them and downloading their files.</summary>
public static class ModelEndpoints
{
    public static void MapModels(this IEndpointRouteBuilder routes)
    {
        var c = routes.MapGroup("/api/v1/companies/{company}").RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        c.MapPost("/signing-keys", async (HttpContext h, string company, SigningKeyRequest body, SigningKeyStore keys) =>
        {
            var caller = h.RequireKeyManager(company);
            var key = await keys.RegisterAsync(AuditActor.Api(caller), company, body?.Name, body?.PublicKey, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/signing-keys/{key.KeyId}", key);
        });
        c.MapGet("/signing-keys", async (HttpContext h, string company, SigningKeyStore keys) =>
        {
            h.RequirePackageReader(company);
            return Results.Ok(await keys.ListAsync(company, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapPost("/signing-keys/{keyId}/revoke", async (HttpContext h, string company, string keyId, SigningKeyStore keys) =>
        {
            var caller = h.RequireKeyManager(company);
            await keys.RevokeAsync(AuditActor.Api(caller), company, keyId, h.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });
        c.MapPost("/models", async (HttpContext h, string company, ModelPackageUpload body, PackageValidator validator, ModelRegistry registry) =>
        {
            var caller = h.RequireDataScientist(company, "push models");
            var package = await validator.ValidateAsync(company, body, h.RequestAborted).ConfigureAwait(false);
            var (info, created) = await registry.AddAsync(AuditActor.Api(caller), company, package, h.RequestAborted).ConfigureAwait(false);
            return created ? Results.Created($"/api/v1/companies/{company}/models/packages/{info.PackageId}", info) : Results.Ok(info);
        });
        c.MapGet("/models", async (HttpContext h, string company, string? name, ModelRegistry registry) =>
        {
            h.RequirePackageReader(company);
            return Results.Ok(await registry.ListAsync(company, name, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapGet("/models/packages/{packageId}", async (HttpContext h, string company, string packageId, ModelRegistry registry) =>
        {
            h.RequirePackageReader(company);
            return Results.Ok(await FindAsync(registry, company, packageId, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapGet("/models/packages/{packageId}/files/{file}", async (HttpContext h, string company, string packageId, string file, ModelRegistry registry) =>
        {
            h.RequirePackageReader(company);
            await FindAsync(registry, company, packageId, h.RequestAborted).ConfigureAwait(false);
            var content = await registry.FileAsync(company, packageId, file, h.RequestAborted).ConfigureAwait(false)
                ?? throw HubProblemException.NotFound($"package {ModelManifest.Short(packageId)} has no file '{ControlCharacters.Escape(file)}'.");
            return Results.Bytes(content, "application/octet-stream");
        });
    }

    /// <summary>The company's package, or 404 naming the id (another company's package is not found either).</summary>
    public static async Task<PackageInfo> FindAsync(ModelRegistry registry, string company, string packageId, CancellationToken ct)
    {
        if (!ModelManifest.IsId(packageId))
        {
            throw HubProblemException.BadRequest($"package id '{ControlCharacters.Escape(packageId)}' is not a package id (64 lower-case hex digits: the SHA-256 of its manifest).");
        }

        return await registry.FindAsync(company, packageId, ct).ConfigureAwait(false)
            ?? throw HubProblemException.NotFound($"package '{packageId}' does not exist in company '{company}'.");
    }
}
