using System.Net.Http.Headers;
using System.Net.Http.Json;
using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Models;

/// <summary>
/// The edge's calls to the hub about its models: its desired state (long-poll), a package's files, and its model
/// report. Every failure is an <see cref="HttpRequestException"/> or a <see cref="PackageRejectedException"/> naming
/// the URL and the hub's answer.
/// </summary>
public sealed class ModelHubClient(HttpClient http, Uri hub, string apiKey, string edgeId, string company)
{
    public string EdgeId => edgeId;

    /// <summary>The desired state; while it equals <paramref name="etag"/> the hub holds the request up to <paramref name="wait"/>.</summary>
    public async Task<DesiredState> DesiredAsync(string? etag, TimeSpan wait, CancellationToken ct)
    {
        var url = new Uri(hub, $"api/v1/edges/{edgeId}/desired-state?waitSeconds={(int)wait.TotalSeconds}&etag={Uri.EscapeDataString(etag ?? string.Empty)}");
        using var response = await SendAsync(HttpMethod.Get, url, null, ct).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(AiFactoryJsonContext.Default.DesiredState, ct).ConfigureAwait(false)
            ?? throw new HttpRequestException($"GET {url}: the hub answered an empty desired state");
    }

    /// <summary>One file of a package, as bytes.</summary>
    public async Task<byte[]> FileAsync(string packageId, string file, CancellationToken ct)
    {
        var url = new Uri(hub, $"api/v1/companies/{company}/models/packages/{packageId}/files/{Uri.EscapeDataString(file)}");
        using var response = await SendAsync(HttpMethod.Get, url, null, ct).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
    }

    public async Task ReportAsync(EdgeModelReport report, CancellationToken ct)
    {
        var url = new Uri(hub, $"api/v1/edges/{edgeId}/model-report");
        using var response = await SendAsync(HttpMethod.Post, url, JsonContent.Create(report, AiFactoryJsonContext.Default.EdgeModelReport), ct).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            response.Dispose();
            throw new HttpRequestException($"{method} {url}: the hub answered {(int)response.StatusCode}: {(body.Length > 500 ? body[..500] : body)}", null, response.StatusCode);
        }

        return response;
    }
}
