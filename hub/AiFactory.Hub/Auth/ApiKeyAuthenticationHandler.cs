using System.Security.Claims;
using System.Text.Encodings.Web;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer aif_…</c> against the stored key hashes on every request, so a revoked key
/// stops working on every replica at once. Failures answer 401 with a problem detail saying what was wrong.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TenancyStore tenancy,
    HubMetrics metrics,
    IOptions<HubOptions> hubOptions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailureKey = "aifactory.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Fail("no API key: send 'Authorization: Bearer <key>'.");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !ApiKey.TryParse(header[7..].Trim(), out var id, out var secret))
        {
            return Fail("the Authorization header does not carry an AiFactory API key ('Bearer aif_<id>_<secret>').");
        }

        var stored = await tenancy.FindKeyAsync(id, Context.RequestAborted).ConfigureAwait(false);
        if (stored is null || !ApiKey.Matches(secret, stored.SecretHash))
        {
            return Fail($"API key '{id}' is not known to this hub.");
        }

        if (stored.RevokedUtc is not null)
        {
            return Fail($"API key '{id}' was revoked.");
        }

        if (!HubRoles.TryParse(stored.Role, out var role))
        {
            return Fail($"API key '{id}' has an unknown role '{stored.Role}'.");
        }

        if (role == HubRole.Edge && hubOptions.Value.Tls.RequireEdgeCertificate && EdgeCertificateProblem(stored.EdgeId!) is { } problem)
        {
            return Fail(problem);
        }

        var caller = new HubCaller(stored.Id, role, stored.CompanyId, stored.EdgeId, stored.PlantId, stored.Owner);
        Context.Features.Set(caller);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, stored.Id), new Claim(ClaimTypes.Role, stored.Role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = Context.Items[FailureKey] as string ?? "an API key is required.";
        metrics.AuthFailed();
        LogRejected(Logger, Request.Path, detail);
        Response.StatusCode = 401;
        await Results.Problem(detail, statusCode: 401, title: "Unauthorized").ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        await Results.Problem("this key's role may not use this endpoint.", statusCode: 403, title: "Forbidden").ExecuteAsync(Context).ConfigureAwait(false);
    }

    /// <summary>
    /// Null when the connection carries a client certificate (already checked against Hub:Tls:ClientCaPath during the
    /// handshake) whose subject CN is the key's edge; otherwise why not.
    /// </summary>
    private string? EdgeCertificateProblem(string edgeId)
    {
        var certificate = Context.Connection.ClientCertificate;
        if (certificate is null)
        {
            return $"edge '{edgeId}' must present its client certificate (Hub:Tls:RequireEdgeCertificate); this connection has none.";
        }

        var name = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false);
        return string.Equals(name, edgeId, StringComparison.Ordinal)
            ? null
            : $"the client certificate names '{name}', not edge '{edgeId}' whose key was presented.";
    }

    private AuthenticateResult Fail(string detail)
    {
        Context.Items[FailureKey] = detail;
        return AuthenticateResult.Fail(detail);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Path}: {Detail}")]
    private static partial void LogRejected(ILogger logger, string path, string detail);
}
