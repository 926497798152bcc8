using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Models;
using AiFactory.Hub.Tests.Support;

namespace AiFactory.Hub.Tests.Models;

/// <summary>Pushing signed packages: stored by content, immutable, checked with the edge's own card and ONNX code, per company.</summary>
[Trait("Category", "Integration")]
public sealed class ModelRegistryTests : IAsyncLifetime
{
    private HubHarness _hub = null!;
    private ModelPush _acme = null!;
    private ModelPush _globex = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync();
        await _hub.SetupPlantAsync("acme", "p1", "acme-e1", ("l1", "s1"));
        await _hub.SetupPlantAsync("globex", "g1", "globex-e1", ("gl1", "gs1"));
        _acme = await ModelPush.CreateAsync(_hub, "acme");
        _globex = await ModelPush.CreateAsync(_hub, "globex");
    }

    public async Task DisposeAsync()
    {
        _acme.Dispose();
        _globex.Dispose();
        await _hub.DisposeAsync();
    }

    [Fact]
    public async Task Push_SignedPackage_IsStoredUnderItsManifestHashOnceAndServedByteForByte()
    {
        var files = ModelPush.Files("steel-defects");
        var first = await _acme.PushAsync(files);
        var again = await _acme.PushAsync(files);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var info = (await first.Content.ReadFromJsonAsync<PackageInfo>())!;
        Assert.Equal(ModelManifest.Id(ModelManifest.Build(files)), info.PackageId);
        Assert.Equal(("steel-defects", "classification", files.Values.Sum(f => (long)f.Length)), (info.Name, info.Task, info.SizeBytes));
        Assert.Equal(info.PackageId, (await again.Content.ReadFromJsonAsync<PackageInfo>())!.PackageId);
        var listed = await _acme.Client.GetFromJsonAsync<List<PackageInfo>>("/api/v1/companies/acme/models?name=steel-defects");
        Assert.Equal([info.PackageId], listed!.Select(p => p.PackageId));
        foreach (var (name, content) in files)
        {
            Assert.Equal(content, await _acme.Client.GetByteArrayAsync($"/api/v1/companies/acme/models/packages/{info.PackageId}/files/{name}"));
        }
    }

    [Fact]
    public async Task Push_FileChangedAfterSigning_IsRefusedNamingTheSignature()
    {
        var files = ModelPush.Version("pump-anomaly", "9.0.1");
        var upload = ModelPackageFolder.Sign(files, _acme.Key);
        var onnx = files["pump-anomaly.onnx"].ToArray();
        onnx[^1] ^= 1;
        var tampered = upload with { Files = new Dictionary<string, string>(upload.Files) { ["pump-anomaly.onnx"] = Convert.ToBase64String(onnx) } };

        var detail = await RefusedAsync(await _acme.PushAsync(tampered), HttpStatusCode.BadRequest);

        Assert.Equal(
            $"package: the signature does not verify with key '{upload.KeyId}' (Dr. Lee) over the files' manifest: the files were changed after signing, or another key signed them.",
            detail);
    }

    [Fact]
    public async Task Push_SignedByAKeyTheCompanyNeverRegistered_IsRefused()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var upload = ModelPackageFolder.Sign(ModelPush.Version("pump-anomaly", "9.0.2"), stranger);

        var detail = await RefusedAsync(await _acme.PushAsync(upload), HttpStatusCode.BadRequest);

        Assert.Equal(
            $"package: signing key '{upload.KeyId}' is not registered for company 'acme'; register the data scientist's public key first (aifactory model key register).", detail);
    }

    [Fact]
    public async Task Push_SignatureOfAnotherCompanysKey_IsRefused()
    {
        var upload = ModelPackageFolder.Sign(ModelPush.Version("pump-anomaly", "9.0.3"), _globex.Key);

        var detail = await RefusedAsync(await _acme.PushAsync(upload), HttpStatusCode.BadRequest);

        Assert.StartsWith($"package: signing key '{upload.KeyId}' is not registered for company 'acme'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherCompanysPackageId_IsNotFoundForEveryReadAndItsModelsAreNotListed()
    {
        var pushed = await _globex.PushAsync(ModelPush.Version("pump-anomaly", "9.0.4"));
        var id = (await pushed.Content.ReadFromJsonAsync<PackageInfo>())!.PackageId;

        Assert.Equal($"package '{id}' does not exist in company 'acme'.", await RefusedAsync(await _acme.Client.GetAsync($"/api/v1/companies/acme/models/packages/{id}"), HttpStatusCode.NotFound));
        Assert.Equal("company 'globex' does not exist.", await RefusedAsync(await _acme.Client.GetAsync($"/api/v1/companies/globex/models/packages/{id}"), HttpStatusCode.NotFound));
        Assert.Equal("company 'globex' does not exist.", await RefusedAsync(await _acme.Client.GetAsync($"/api/v1/companies/globex/models/packages/{id}/files/card.yaml"), HttpStatusCode.NotFound));
        Assert.Equal("company 'globex' does not exist.", await RefusedAsync(await _acme.Client.GetAsync("/api/v1/companies/globex/models"), HttpStatusCode.NotFound));
        var intoGlobex = await _acme.Client.PostAsJsonAsync("/api/v1/companies/globex/models", ModelPackageFolder.Sign(ModelPush.Version("pump-anomaly", "9.0.5"), _acme.Key));
        Assert.Equal("company 'globex' does not exist.", await RefusedAsync(intoGlobex, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Push_CardThatLiesAboutTheGraph_IsRefusedNamingTheDisagreement()
    {
        var files = ModelPush.Files("pump-anomaly", c => c.Replace("version: 2.0.0", "version: 9.0.6", StringComparison.Ordinal).Replace("  window: 5", "  window: 6", StringComparison.Ordinal));

        var detail = await RefusedAsync(await _acme.PushAsync(files), HttpStatusCode.BadRequest);

        Assert.Equal(
            "model 'pump-anomaly' (card.yaml vs pump-anomaly.onnx): input 'input' takes 40 values per row in the graph, the card's window × features is 6 × 8 = 48", detail);
    }

    [Fact]
    public async Task Push_ReferenceOutputsTheModelDoesNotReproduce_IsRefusedNamingTheRows()
    {
        var files = ModelPush.Version("pump-anomaly", "9.0.7");
        var reference = JsonDocument.Parse(files["reference.json"]).RootElement;
        var scores = reference.GetProperty("outputs").GetProperty("score").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        scores[3] += 0.5;
        files["reference.json"] = JsonSerializer.SerializeToUtf8Bytes(new { input_name = "input", inputs = reference.GetProperty("inputs"), outputs = new { score = scores } });

        var detail = await RefusedAsync(await _acme.PushAsync(files), HttpStatusCode.BadRequest);

        Assert.StartsWith("reference.json: model 'pump-anomaly' 9.0.7 does not reproduce its reference outputs within 0.0001 on 1 of 32 rows: row 3: score ", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_OnnxFileRuntimeCannotLoad_IsRefusedNamingTheModel()
    {
        var files = ModelPush.Version("pump-anomaly", "9.0.8");
        files["pump-anomaly.onnx"] = Encoding.UTF8.GetBytes("not a protobuf graph");

        var detail = await RefusedAsync(await _acme.PushAsync(files), HttpStatusCode.BadRequest);

        Assert.StartsWith("loading model 'pump-anomaly'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_SameVersionWithOtherContent_IsRefusedAsImmutable()
    {
        var files = ModelPush.Version("pump-anomaly", "9.0.9");
        var first = (await (await _acme.PushAsync(files)).Content.ReadFromJsonAsync<PackageInfo>())!;
        files["README.md"] = Encoding.UTF8.GetBytes("# edited after the push\n");

        var detail = await RefusedAsync(await _acme.PushAsync(files), HttpStatusCode.Conflict);

        Assert.Equal(
            $"model 'pump-anomaly' version '9.0.9' is already registered as package {first.PackageId} with other content; versions are immutable: give the card a new version.", detail);
    }

    [Fact]
    public async Task Push_MissingFileOrExtraFile_IsRefusedNamingIt()
    {
        var missing = ModelPush.Version("pump-anomaly", "9.1.0");
        missing.Remove("reference.json");
        var extra = ModelPush.Version("pump-anomaly", "9.1.1");
        extra["notes.txt"] = [1];

        Assert.Equal(
            "package: file 'reference.json' is missing; a package holds card.yaml, README.md, reference.json and the card's .onnx file.",
            await RefusedAsync(await _acme.PushAsync(missing), HttpStatusCode.BadRequest));
        Assert.StartsWith("package: file name 'notes.txt' is not allowed", await RefusedAsync(await _acme.PushAsync(extra), HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_ByAPlantEngineer_IsForbidden()
    {
        using var engineer = _hub.Client((await _hub.UserAsync("acme", "plant-engineer")).Key);

        var response = await engineer.PostAsJsonAsync("/api/v1/companies/acme/models", ModelPackageFolder.Sign(ModelPush.Version("pump-anomaly", "9.1.2"), _acme.Key));

        Assert.Equal("role 'plant-engineer' may not push models; a data-scientist key of company 'acme' is needed.", await RefusedAsync(response, HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task RegisterKey_NotAP256PublicKey_IsRefusedNamingTheField()
    {
        using var rsa = RSA.Create(2048);
        var notBase64 = await _acme.Client.PostAsJsonAsync("/api/v1/companies/acme/signing-keys", new { name = "x", publicKey = "%%%" });
        var notEc = await _acme.Client.PostAsJsonAsync("/api/v1/companies/acme/signing-keys", new { name = "x", publicKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()) });

        Assert.StartsWith("publicKey is not base64;", await RefusedAsync(notBase64, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.StartsWith("publicKey is not an ECDSA SubjectPublicKeyInfo", await RefusedAsync(notEc, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    private static async Task<string> RefusedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
    }
}
