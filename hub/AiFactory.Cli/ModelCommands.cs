using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AiFactory.Contracts;

namespace AiFactory.Cli;

/// <summary>The <c>aifactory model</c> subcommands, each one HTTP call (or a local key file) and a few lines of output.</summary>
internal sealed class ModelCommands(TextWriter output, Func<ParseResult, HubApiClient> connect)
{
    private readonly Option<string> _company = new("--company") { Description = "Your company's id", Required = true };

    public IEnumerable<Command> All() => [Key(), Push(), List(), Deploy(), Status(), Promote(), Rollback()];

    private Command Key()
    {
        var outFile = new Option<string>("--out") { Description = "Where to write the private key (PEM, readable by you only)", Required = true };
        var create = new Command("create", "Make a P-256 signing key; print its id and public key.") { outFile };
        create.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(outFile)!;
            if (File.Exists(path))
            {
                throw new CliException($"--out '{path}' exists already; a signing key is never overwritten");
            }

            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            await File.WriteAllTextAsync(path, ecdsa.ExportPkcs8PrivateKeyPem(), ct).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var spki = ecdsa.ExportSubjectPublicKeyInfo();
            await output.WriteLineAsync($"key {PackageSignature.KeyId(spki)} written to {path}\npublic key: {Convert.ToBase64String(spki)}").ConfigureAwait(false);
            return 0;
        });

        var keyFile = KeyOption();
        var name = new Option<string>("--name") { Description = "Whose key it is", Required = true };
        var register = new Command("register", "Register your public key with your company on the hub.") { _company, keyFile, name };
        register.SetAction(async (parse, ct) =>
        {
            using var ecdsa = ModelCli.ReadKey(parse.GetValue(keyFile)!);
            var body = new { name = parse.GetValue(name), publicKey = Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo()) };
            var key = await connect(parse).SendAsync(HttpMethod.Post, $"api/v1/companies/{parse.GetValue(_company)}/signing-keys", body, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"registered key {ModelCli.Text(key, "keyId")} ({ModelCli.Text(key, "name")}) for company {parse.GetValue(_company)}").ConfigureAwait(false);
            return 0;
        });
        return new Command("key", "Signing keys: create one, register it.") { create, register };
    }

    private Command Push()
    {
        var folder = new Argument<string>("folder") { Description = "The model folder: card.yaml, README.md, reference.json and the .onnx file" };
        var keyFile = KeyOption();
        var command = new Command("push", "Sign a model folder and upload it; the hub checks it before it is registered.") { folder, _company, keyFile };
        command.SetAction(async (parse, ct) =>
        {
            Dictionary<string, byte[]> files;
            try
            {
                files = ModelPackageFolder.Read(parse.GetValue(folder)!);
            }
            catch (IOException ex)
            {
                throw new CliException(ex.Message);
            }

            using var ecdsa = ModelCli.ReadKey(parse.GetValue(keyFile)!);
            var upload = ModelPackageFolder.Sign(files, ecdsa);
            var package = await connect(parse).SendAsync(HttpMethod.Post, $"api/v1/companies/{parse.GetValue(_company)}/models", upload, ct).ConfigureAwait(false);
            await output.WriteLineAsync(
                $"{ModelCli.Text(package, "name")} {ModelCli.Text(package, "version")}: package {ModelCli.Text(package, "packageId")} ({files.Values.Sum(f => (long)f.Length)} bytes, signed by key {upload.KeyId})").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private Command List()
    {
        var name = new Option<string?>("--model") { Description = "Only this model's versions" };
        var command = new Command("list", "The company's registered packages, newest first.") { _company, name };
        command.SetAction(async (parse, ct) =>
        {
            var query = parse.GetValue(name) is { } m ? $"?name={Uri.EscapeDataString(m)}" : string.Empty;
            var list = await connect(parse).SendAsync(HttpMethod.Get, $"api/v1/companies/{parse.GetValue(_company)}/models{query}", null, ct).ConfigureAwait(false);
            await output.WriteLineAsync("MODEL                VERSION     TASK            PACKAGE       PUSHED                BY").ConfigureAwait(false);
            foreach (var p in list.EnumerateArray())
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{ModelCli.Text(p, "name"),-20} {ModelCli.Text(p, "version"),-11} {ModelCli.Text(p, "task"),-15} {ModelManifest.Short(ModelCli.Text(p, "packageId")),-13} {p.GetProperty("createdUtc").GetDateTimeOffset():yyyy-MM-dd HH:mm:ss}   {ModelCli.Text(p, "createdBy")}")).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private Command Deploy()
    {
        var package = new Option<string?>("--package") { Description = "The package id (or --model and --version)" };
        var name = new Option<string?>("--model") { Description = "The model's name (with --version)" };
        var version = new Option<string?>("--version") { Description = "The card's version (with --model)" };
        var targets = new Option<string>("--targets") { Description = "Comma-separated plants, lines, stations: plant, plant/line, plant/line/station", Required = true };
        var strategy = new Option<string>("--strategy") { Description = "shadow | canary | full", Required = true };
        var share = new Option<double?>("--share") { Description = "canary: the share of the target stations, above 0 and at most 1" };
        var rules = new (string Option, string Field)[]
        {
            ("--min-frames", "minFrames"), ("--max-error-rate", "maxErrorRate"), ("--max-latency-p99-ms", "maxLatencyP99Ms"), ("--max-disagreement", "maxDisagreement"),
            ("--verdict-rate-min", "verdictRateMin"), ("--verdict-rate-max", "verdictRateMax"), ("--verdict-rate-tolerance", "verdictRateTolerance"),
        };
        var ruleOptions = rules.Select(r => new Option<double?>(r.Option) { Description = $"rollback rule {r.Field} (default: the hub's)" }).ToList();
        var command = new Command("deploy", "Assign a package to stations as shadow, canary or full.") { _company, package, name, version, targets, strategy, share };
        foreach (var o in ruleOptions)
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var given = rules.Select((r, i) => (r.Field, Value: parse.GetValue(ruleOptions[i]))).Where(r => r.Value is not null).ToDictionary(r => r.Field, r => r.Value);
            var body = new Dictionary<string, object?>
            {
                ["packageId"] = parse.GetValue(package), ["model"] = parse.GetValue(name), ["version"] = parse.GetValue(version),
                ["targets"] = parse.GetValue(targets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                ["strategy"] = parse.GetValue(strategy), ["share"] = parse.GetValue(share), ["rules"] = given.Count == 0 ? null : given,
            };
            var d = await connect(parse).SendAsync(HttpMethod.Post, $"api/v1/companies/{parse.GetValue(_company)}/deployments", body, ct).ConfigureAwait(false);
            await output.WriteLineAsync(
                $"deployment {ModelCli.Text(d, "id")}: {ModelCli.Text(d, "modelName")} {ModelCli.Text(d, "version")} as {ModelCli.Text(d, "strategy")} on {d.GetProperty("stations").GetArrayLength()} station(s): {string.Join(", ", d.GetProperty("stations").EnumerateArray().Select(s => s.GetString()))} ({ModelCli.Text(d, "state")})").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private Command Status()
    {
        var deployment = new Option<string?>("--deployment") { Description = "One deployment, candidate and production side by side" };
        var name = new Option<string?>("--model") { Description = "Every station's models (without --deployment)" };
        var command = new Command("status", "A deployment's candidate beside production, or every station's models.") { _company, deployment, name };
        command.SetAction(async (parse, ct) =>
        {
            var client = connect(parse);
            var company = parse.GetValue(_company);
            if (parse.GetValue(deployment) is { } id)
            {
                var s = await client.SendAsync(HttpMethod.Get, $"api/v1/companies/{company}/deployments/{Uri.EscapeDataString(id)}", null, ct).ConfigureAwait(false);
                await DeploymentAsync(s).ConfigureAwait(false);
                return 0;
            }

            var query = parse.GetValue(name) is { } m ? $"?model={Uri.EscapeDataString(m)}" : string.Empty;
            var stations = await client.SendAsync(HttpMethod.Get, $"api/v1/companies/{company}/models/status{query}", null, ct).ConfigureAwait(false);
            await output.WriteLineAsync(Row("STATION / MODEL", "ROLE")).ConfigureAwait(false);
            foreach (var st in stations.EnumerateArray())
            {
                await StationAsync(st).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private Command Promote()
    {
        var deployment = new Option<string>("--deployment") { Description = "The shadow or canary deployment to make production on its targets", Required = true };
        var command = new Command("promote", "Make a deployment's package production on all its target stations.") { _company, deployment };
        command.SetAction((parse, ct) => EndAsync(parse, "promote", parse.GetValue(deployment)!, null, ct));
        return command;
    }

    private Command Rollback()
    {
        var deployment = new Option<string>("--deployment") { Description = "The deployment to roll back", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the deployment and the audit log)" };
        var command = new Command("rollback", "Roll a deployment back: its stations return to the package they ran before.") { _company, deployment, reason };
        command.SetAction((parse, ct) => EndAsync(parse, "rollback", parse.GetValue(deployment)!, new { reason = parse.GetValue(reason) }, ct));
        return command;
    }

    private async Task<int> EndAsync(ParseResult parse, string action, string id, object? body, CancellationToken ct)
    {
        var d = await connect(parse).SendAsync(HttpMethod.Post, $"api/v1/companies/{parse.GetValue(_company)}/deployments/{Uri.EscapeDataString(id)}/{action}", body ?? new { }, ct).ConfigureAwait(false);
        var reason = ModelCli.Text(d, "reason") is var r && r != "-" ? $": {r}" : string.Empty;
        await output.WriteLineAsync($"deployment {ModelCli.Text(d, "id")} ({ModelCli.Text(d, "modelName")} {ModelCli.Text(d, "version")}): {ModelCli.Text(d, "state")}{reason}").ConfigureAwait(false);
        return 0;
    }

    private async Task DeploymentAsync(JsonElement s)
    {
        var d = s.GetProperty("deployment");
        var reason = ModelCli.Text(d, "reason") is var r && r != "-" ? $" — {r}" : string.Empty;
        await output.WriteLineAsync($"deployment {ModelCli.Text(d, "id")}: {ModelCli.Text(d, "modelName")} {ModelCli.Text(d, "version")} as {ModelCli.Text(d, "strategy")}, {ModelCli.Text(d, "state")}{reason}").ConfigureAwait(false);
        var agreement = s.GetProperty("agreementRate") is { ValueKind: JsonValueKind.Number } a ? $"agreement {ModelCli.Percent(a.GetDouble())} of {s.GetProperty("compared").GetInt64()} frames both scored" : "no frame scored by both yet";
        await output.WriteLineAsync(agreement).ConfigureAwait(false);
        await output.WriteLineAsync(Row("", "ROLE")).ConfigureAwait(false);
        await output.WriteLineAsync(Figures("all stations", "candidate", s.GetProperty("candidate"))).ConfigureAwait(false);
        await output.WriteLineAsync(Figures(string.Empty, "production", s.GetProperty("production"))).ConfigureAwait(false);
        foreach (var st in s.GetProperty("stations").EnumerateArray())
        {
            await StationAsync(st).ConfigureAwait(false);
        }
    }

    private async Task StationAsync(JsonElement st)
    {
        var where = $"{ModelCli.Text(st, "station")} {ModelCli.Text(st, "modelName")}";
        await output.WriteLineAsync(Figures(where, "production", st.GetProperty("production"))).ConfigureAwait(false);
        if (st.GetProperty("shadow") is { ValueKind: JsonValueKind.Object } shadow)
        {
            var agreement = st.GetProperty("agreementRate") is { ValueKind: JsonValueKind.Number } a ? $"  agreement {ModelCli.Percent(a.GetDouble())}" : string.Empty;
            await output.WriteLineAsync(Figures(string.Empty, "shadow", shadow) + agreement).ConfigureAwait(false);
        }

        foreach (var f in st.GetProperty("failures").EnumerateArray())
        {
            await output.WriteLineAsync($"    failed: {ModelManifest.Short(ModelCli.Text(f, "packageId"))} at {ModelCli.Text(f, "stage")}: {ModelCli.Text(f, "reason")}").ConfigureAwait(false);
        }
    }

    private static string Row(string where, string role) =>
        $"{where,-34} {role,-10} {"PACKAGE",-13} {"VERSION",-9} {"FRAMES",9} {"ERRORS",7} {"VERDICTS",9} {"P50 MS",8} {"P99 MS",8}";

    private static string Figures(string where, string role, JsonElement m) => string.Create(CultureInfo.InvariantCulture,
        $"{where,-34} {role,-10} {(m.GetProperty("packageId").GetString() is { } p ? ModelManifest.Short(p) : "configured"),-13} {ModelCli.Text(m, "version"),-9} {m.GetProperty("frames").GetInt64(),9} {m.GetProperty("errors").GetInt64(),7} {ModelCli.Percent(m.GetProperty("verdictRate").GetDouble()),9} {m.GetProperty("latencyP50Ms").GetDouble(),8:0.###} {m.GetProperty("latencyP99Ms").GetDouble(),8:0.###}");

    private static Option<string> KeyOption() => new("--key") { Description = "Your signing key (PEM, from aifactory model key create)", Required = true };
}
