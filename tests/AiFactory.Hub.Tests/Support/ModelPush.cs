using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using AiFactory.Contracts;
using AiFactory.Testing;

namespace AiFactory.Hub.Tests.Support;

/// <summary>A data scientist of one company on a test hub: a registered P-256 key, and packages built from models/ folders.</summary>
internal sealed class ModelPush : IDisposable
{
    private ModelPush(HttpClient client, string company, ECDsa key)
    {
        Client = client;
        Company = company;
        Key = key;
    }

    public HttpClient Client { get; }

    public string Company { get; }

    public ECDsa Key { get; }

    /// <summary>A data-scientist key of <paramref name="company"/> with a freshly registered signing key.</summary>
    public static async Task<ModelPush> CreateAsync(HubHarness hub, string company)
    {
        var client = hub.Client((await hub.UserAsync(company, "data-scientist")).Key);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var registered = await client.PostAsJsonAsync(
            $"/api/v1/companies/{company}/signing-keys", new { name = "Dr. Lee", publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()) });
        if (!registered.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"registering the key answered {(int)registered.StatusCode}: {await registered.Content.ReadAsStringAsync()}");
        }

        return new ModelPush(client, company, key);
    }

    /// <summary>The files of <c>models/<paramref name="model"/></c>, with card.yaml's text edited by <paramref name="card"/>.</summary>
    public static Dictionary<string, byte[]> Files(string model, Func<string, string>? card = null)
    {
        var files = ModelPackageFolder.Read(RepoPaths.Model(model));
        if (card is not null)
        {
            files["card.yaml"] = Encoding.UTF8.GetBytes(card(Encoding.UTF8.GetString(files["card.yaml"])));
        }

        return files;
    }

    /// <summary>The files with the card's version replaced, so that each test pushes its own package.</summary>
    public static Dictionary<string, byte[]> Version(string model, string version) =>
        Files(model, c => System.Text.RegularExpressions.Regex.Replace(c, "(?m)^version: .*$", $"version: {version}"));

    public Task<HttpResponseMessage> PushAsync(IReadOnlyDictionary<string, byte[]> files) => PushAsync(ModelPackageFolder.Sign(files, Key));

    public Task<HttpResponseMessage> PushAsync(ModelPackageUpload upload) => Client.PostAsJsonAsync($"/api/v1/companies/{Company}/models", upload);

    public void Dispose()
    {
        Client.Dispose();
        Key.Dispose();
    }
}
