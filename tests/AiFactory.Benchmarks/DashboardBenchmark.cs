using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;
using Microsoft.Playwright;

namespace AiFactory.Benchmarks;

/// <summary>
/// The dashboard on loopback, one hub process on SQLite with 50 lines × 10 stations, Debian's chromium headless:
/// how long a line page and the company page take to become interactive (navigation start until every tile or row
/// shows live figures), and ingest with no dashboard open and with 50 open (one per line; <c>--dashboards</c>), phases alternating so that
/// drift in the machine's load falls on both. On a plant the browsers run on the engineers' PCs, so chromium (and
/// Playwright's driver) is pinned to core 0 and the hub with this load generator to core 1, in every phase: only the
/// hub's own work for 50 dashboards (circuits, renders, SignalR, their SQL reads) differs between the phases. Each
/// phase is run twice: edges sending back to back (the ingest rate the hub's core allows) and paced at a fixed rate
/// well below it (the hub's CPU seconds per second then show what 50 dashboards cost it at that rate). Then five
/// more rounds with the pages' browsers "elsewhere": chromium closed, and the 50 line pages' live sockets (and the
/// charts their script fetches) held by <see cref="LineSocketClients"/>, a process on the browser's core that asks of
/// the hub exactly what the pages' script does, with no rendering beside the hub.
/// </summary>
internal static class DashboardBenchmark
{
    private const int Lines = 50;
    private const int StationsPerLine = 10;
    private const int Edges = 4;
    private const int SummariesPerBatch = 50;

    /// <summary>The paced phases' ingest rate (summaries per second, all edges together).</summary>
    private const double PacedRate = 500;

    private const int BrowserCore = 0;

    private const int HubCore = 1;

    /// <summary>
    /// Rounds of the phases with the pages' browsers elsewhere, each a phase without and one with the pages: without
    /// first in even rounds, with first in odd ones, so a drift over the run (the database and the hour's minutes grow)
    /// weighs on both sides alike. An even count balances them.
    /// </summary>
    private const int ElsewhereRounds = 6;

    /// <summary>Each edge's last sequence sent in a measured phase (each edge's own range, above the set-up batches).</summary>
    private static readonly long[] Sequences = new long[Edges];

    /// <summary>Ingest phases started so far (names the profiling hook's phases).</summary>
    private static int _phases;

    /// <param name="seconds">Each ingest phase's length.</param>
    /// <param name="rounds">Loads of each page timed.</param>
    /// <param name="dashboards">Line pages open in the phases with dashboards (one per line; 50 is the target's).</param>
    public static async Task<Dictionary<string, object>> RunAsync(double seconds, int rounds, int dashboards)
    {
        dashboards = Math.Clamp(dashboards, 1, Lines);
        var dir = Directory.CreateTempSubdirectory("aifactory-bench-dashboard-").FullName;
        var adminKey = ApiKey.Generate().Key;
        await using var hub = await HubProcess.StartAsync("Sqlite", $"Data Source={Path.Combine(dir, "hub.db")}", adminKey,
            ["--Serilog:MinimumLevel:Default=Warning", "--Hub:RateLimit:Enabled=false", .. (Environment.GetEnvironmentVariable("AIFACTORY_BENCH_HUB_ARGS") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        var pinned = CpuPinning.Possible;
        if (pinned)
        {
            // This process first: Playwright's driver and chromium start from it and are moved to the browser's core below.
            CpuPinning.Pin([Environment.ProcessId], HubCore);
            CpuPinning.Pin(ProcessCpu.Descendants([hub.ProcessId!.Value]), HubCore);
        }

        var (edgeKeys, engineer) = await SetupAsync(hub.Address, adminKey);
        long sequence = 0;
        foreach (var (key, e) in edgeKeys.Select((k, i) => (k, i)))
        {
            // One summary for every station first, so every tile has figures to show.
            using var http = Client(hub.Address, key);
            for (var l = e; l < Lines; l += Edges)
            {
                await SendAsync(http, e, Enumerable.Range(0, StationsPerLine).Select(s => ($"l{l}", $"s{s}")), ref sequence);
            }
        }

        var ack = sequence;
        // Chromium's profiles and caches in memory: on the plant its disk is another PC's, and here its writes would
        // queue before the hub's SQLite commits (synchronous=FULL) on the one shared disk.
        Environment.SetEnvironmentVariable("TMPDIR", Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Environment.GetEnvironmentVariable("AIFACTORY_CHROMIUM") ?? "/usr/bin/chromium", Args = ["--no-sandbox"] });
        var first = await OpenSignedInAsync(browser, hub.Address, engineer);
        SeparateBrowser(hub.ProcessId!.Value, pinned);
        var load = LoadAverage.OneMinute();
        var linePage = new List<double>();
        var companyPage = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            linePage.Add(await TimeAsync(first, $"/ui/companies/bench/plants/p1/lines/l{r % Lines}", async p =>
            {
                for (var s = 0; s < StationsPerLine; s++)
                {
                    await Assertions.Expect(p.GetByTestId($"tile-s{s}").Locator("[data-kpi=frames]")).Not.ToHaveTextAsync("–", new() { Timeout = 30_000 });
                }
            }));
            companyPage.Add(await TimeAsync(first, "/ui/companies/bench", p => Assertions.Expect(p.GetByTestId($"line-l{Lines - 1}")).ToContainTextAsync("%", new() { Timeout = 30_000 })));
        }

        // One phase thrown away, at least 30 s: the hub's JIT, tiered compilation, grain activations and SQLite's first
        // pages would otherwise fall on the first measured phase (they did: 608 CPU-ms per 1000 summaries against 139 in
        // the next round; and with a 10-s discarded phase the tiered compiler still took 20 % of the hub's samples in
        // the first measured one).
        await IngestAsync(hub, edgeKeys, 0, Math.Max(30, seconds), null);
        var pages = new List<IPage>();
        var phases = new List<Dictionary<string, object>>();
        for (var round = 0; round < 2; round++)
        {
            foreach (var open in new[] { 0, dashboards })
            {
                while (pages.Count < open)
                {
                    var page = await OpenSignedInAsync(browser, hub.Address, engineer);
                    await page.GotoAsync($"/ui/companies/bench/plants/p1/lines/l{pages.Count}");
                    await Assertions.Expect(page.GetByTestId("tile-s0").Locator("[data-kpi=frames]")).Not.ToHaveTextAsync("–", new() { Timeout = 60_000 });
                    pages.Add(page);
                }

                SeparateBrowser(hub.ProcessId!.Value, pinned);
                while (pages.Count > open)
                {
                    await pages[^1].Context.CloseAsync();
                    pages.RemoveAt(pages.Count - 1);
                }

                phases.Add(await IngestAsync(hub, edgeKeys, open, seconds, null));
                phases.Add(await IngestAsync(hub, edgeKeys, open, seconds, PacedRate));
                if (open == 0 && pinned)
                {
                    // The control: no dashboard, but the browser's core kept busy by a plain busy loop, as chromium keeps
                    // it with the pages open. What this costs the hub's core (a virtual machine's cores may share a
                    // physical core, cache and memory bandwidth) is this machine's, not the dashboards' work in the hub.
                    phases.Add(await WithBusyCoreAsync(BrowserCore, () => IngestAsync(hub, edgeKeys, 0, seconds, null)));
                }
            }
        }

        // The same ingest with the pages' browsers on other machines, as on a plant: the 50 pages' live sockets (and the
        // charts their script fetches) held by a process of this benchmark pinned to the browser's core, with no
        // chromium rendering beside the hub. Rounds of a phase without and one with the pages, in turn first.
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }

        pages.Clear();
        await first.Context.CloseAsync();
        var elsewhere = new List<Dictionary<string, object>>();
        for (var round = 0; round < ElsewhereRounds; round++)
        {
            foreach (var open in round % 2 == 0 ? new[] { 0, dashboards } : [dashboards, 0])
            {
                using var clients = open == 0 ? null : new SocketClients(hub.Address, engineer, open, pinned);
                foreach (var paced in new double?[] { null, PacedRate })
                {
                    var phase = await IngestAsync(hub, edgeKeys, open, seconds, paced);
                    phase["browsers"] = "elsewhere";
                    elsewhere.Add(phase);
                }

                if (clients is not null)
                {
                    elsewhere[^1]["pages_got"] = clients.Stop();
                }
            }
        }

        double Elsewhere(int open, bool paced, string key) =>
            elsewhere.Where(p => (int)p["dashboards"] == open && p.ContainsKey("paced_summaries_per_s") == paced).Average(p => (double)p[key]);
        // A round's phase: its 4 phases are (without or with, in the round's order) × (flat out, paced).
        double InRound(int round, int open, bool paced, string key) =>
            (double)elsewhere.Skip(4 * round).Take(4).Single(p => (int)p["dashboards"] == open && p.ContainsKey("paced_summaries_per_s") == paced)[key];
        var perRound = Enumerable.Range(0, ElsewhereRounds)
            .Select(r => Math.Round(100 * (1 - (InRound(r, dashboards, false, "summaries_per_s") / InRound(r, 0, false, "summaries_per_s"))), 1)).ToList();
        var paceCost = Enumerable.Range(0, ElsewhereRounds)
            .Select(r => Math.Round(InRound(r, dashboards, true, "hub_cpu_s_per_s") - InRound(r, 0, true, "hub_cpu_s_per_s"), 3)).ToList();

        double Mean(int open, bool paced, string key, bool busyCore = false) =>
            phases.Where(p => (int)p["dashboards"] == open && p.ContainsKey("paced_summaries_per_s") == paced && p.ContainsKey("browser_core_busy") == busyCore).Average(p => (double)p[key]);
        return new Dictionary<string, object>
        {
            ["setup"] = $"1 hub process on SQLite, {Lines} lines × {StationsPerLine} stations, headless chromium on the same machine, {Edges} edges sending batches of {SummariesPerBatch} summaries "
                + "back to back, then paced at " + PacedRate.ToString(CultureInfo.InvariantCulture) + " summaries/s; "
                + (pinned ? $"chromium and Playwright's driver pinned to core {BrowserCore}, the hub and the load generator to core {HubCore} (taskset -a), in every phase" : "no pinning (fewer than 2 cores or no taskset)"),
            ["line_page_interactive_ms"] = Summary(linePage),
            ["company_page_interactive_ms"] = Summary(companyPage),
            ["ingest_phases"] = phases,
            ["dashboards"] = dashboards,
            ["ingest_slowdown_with_dashboards_percent"] = Math.Round(100 * (1 - (Mean(dashboards, false, "summaries_per_s") / Mean(0, false, "summaries_per_s"))), 1),
            ["ingest_slowdown_browser_core_busy_without_dashboards_percent"] = pinned ? Math.Round(100 * (1 - (Mean(0, false, "summaries_per_s", busyCore: true) / Mean(0, false, "summaries_per_s"))), 1) : "not measured (no pinning)",
            ["hub_cpu_ms_per_1000_summaries_flat_out_without_with"] = $"{Mean(0, false, "hub_cpu_ms_per_1000_summaries"):0.0} / {Mean(dashboards, false, "hub_cpu_ms_per_1000_summaries"):0.0}",
            ["hub_cpu_s_per_s_paced_without_with"] = $"{Mean(0, true, "hub_cpu_s_per_s"):0.000} / {Mean(dashboards, true, "hub_cpu_s_per_s"):0.000}",
            ["elsewhere_ingest_phases"] = elsewhere,
            ["elsewhere_ingest_slowdown_percent"] = Math.Round(100 * (1 - (Elsewhere(dashboards, false, "summaries_per_s") / Elsewhere(0, false, "summaries_per_s"))), 1),
            ["elsewhere_ingest_slowdown_per_round_percent"] = perRound,
            ["elsewhere_ingest_slowdown_median_percent"] = Medians.Of(perRound, 1),
            ["elsewhere_hub_cpu_ms_per_1000_summaries_flat_out_without_with"] = $"{Elsewhere(0, false, "hub_cpu_ms_per_1000_summaries"):0.0} / {Elsewhere(dashboards, false, "hub_cpu_ms_per_1000_summaries"):0.0}",
            ["elsewhere_hub_cpu_s_per_s_paced_without_with"] = $"{Elsewhere(0, true, "hub_cpu_s_per_s"):0.000} / {Elsewhere(dashboards, true, "hub_cpu_s_per_s"):0.000}",
            ["elsewhere_hub_cpu_s_per_s_paced_cost_per_round"] = paceCost,
            ["load_1m_before_after"] = $"{load:0.0} / {LoadAverage.OneMinute():0.0}",
            ["summaries_before_measuring"] = ack,
        };
    }

    /// <summary>
    /// Every process this one started except the hub and what runs under it (Playwright's driver and chromium's
    /// processes): pinned to the browser's core; without pinning, at the lowest priority instead (on its own core
    /// it competes only with other work on the machine, and at nice 19 that starved its pages).
    /// </summary>
    private static void SeparateBrowser(int hubPid, bool pinned)
    {
        var hub = ProcessCpu.Descendants([hubPid]).ToHashSet();
        var browser = ProcessCpu.Descendants([Environment.ProcessId]).Where(p => p != Environment.ProcessId && !hub.Contains(p)).ToList();
        if (pinned)
        {
            CpuPinning.Pin(browser, BrowserCore);
            return;
        }

        using var renice = Process.Start(new ProcessStartInfo("renice", ["-n", "19", "-p", .. browser.Select(p => p.ToString(CultureInfo.InvariantCulture))]) { RedirectStandardOutput = true })!;
        renice.WaitForExit();
        foreach (var pid in browser)
        {
            // Chromium starts its processes in sessions of their own, and with the kernel's autogroups a nice value
            // counts only inside its session's group: the group's own nice is what yields to other work.
            try
            {
                File.WriteAllText($"/proc/{pid}/autogroup", "19");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone already, or no autogroups on this kernel.
            }
        }
    }

    private static Dictionary<string, double> Summary(List<double> ms)
    {
        ms.Sort();
        return new() { ["first"] = Math.Round(ms[0], 0), ["median"] = Math.Round(ms[ms.Count / 2], 0), ["max"] = Math.Round(ms[^1], 0), ["count"] = ms.Count };
    }

    private static async Task<double> TimeAsync(IPage page, string path, Func<IPage, Task> ready)
    {
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(path);
        await ready(page);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<IPage> OpenSignedInAsync(IBrowser browser, Uri hub, string key)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = hub.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui/signin");
        await page.GetByTestId("key").FillAsync(key);
        await page.GetByTestId("signin").ClickAsync();
        await page.WaitForURLAsync("**/ui/companies/bench");
        return page;
    }

    /// <summary>
    /// Every edge sends batches for <paramref name="seconds"/>, back to back or (with <paramref name="paced"/>) together
    /// at that many summaries per second; answers summaries acknowledged per second and the hub's CPU.
    /// </summary>
    private static async Task<Dictionary<string, object>> IngestAsync(HubProcess hub, string[] edgeKeys, int dashboards, double seconds, double? paced)
    {
        var pid = hub.ProcessId!.Value;
        var hubTree = ProcessCpu.Descendants([pid]).ToHashSet();
        var browser = ProcessCpu.Descendants([Environment.ProcessId]).Where(p => p != Environment.ProcessId && !hubTree.Contains(p)).ToList();
        var cpu0 = ProcessCpu.Snapshot([pid]);
        var browser0 = ProcessCpu.Snapshot(browser);
        var self0 = ProcessCpu.Snapshot([Environment.ProcessId]);
        var health = new List<double>();
        using var probing = new CancellationTokenSource();
        var probe = Task.Run(async () =>
        {
            // How long the hub takes to answer a trivial request meanwhile: waiting threads show here, not in its CPU.
            using var http = new HttpClient { BaseAddress = hub.Address };
            while (!probing.IsCancellationRequested)
            {
                var t = Stopwatch.StartNew();
                using (await http.GetAsync("/health/live"))
                {
                }

                health.Add(t.Elapsed.TotalMilliseconds);
                await Task.Delay(200);
            }
        });
        var load = LoadAverage.OneMinute();
        StartPhaseHook(pid, dashboards, seconds, paced);
        var clock = Stopwatch.StartNew();
        var sent = await Task.WhenAll(edgeKeys.Select((key, e) => Task.Run(async () =>
        {
            using var http = Client(hub.Address, key);
            var sequence = Math.Max(Sequences[e], 1_000_000L * (e + 1));
            var count = 0L;
            var b = 0;
            var interval = paced is { } rate ? TimeSpan.FromSeconds(SummariesPerBatch * edgeKeys.Length / rate) : TimeSpan.Zero;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                if (interval > TimeSpan.Zero && clock.Elapsed < interval * b)
                {
                    await Task.Delay(interval * b - clock.Elapsed);
                }

                var targets = Enumerable.Range(0, SummariesPerBatch).Select(i => (b * SummariesPerBatch) + i)
                    .Select(i => ($"l{e + (Edges * ((i / StationsPerLine) % (Lines / Edges)))}", $"s{i % StationsPerLine}"));
                await SendAsync(http, e, targets, ref sequence);
                count += SummariesPerBatch;
                b++;
            }

            Sequences[e] = sequence;
            return count;
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        await probing.CancelAsync();
        await probe;
        health.Sort();
        var hubCpu = ProcessCpu.Since(cpu0, [pid]);
        var phase = new Dictionary<string, object>
        {
            ["dashboards"] = dashboards,
            ["browser_cpu_s_per_s"] = Math.Round(ProcessCpu.Since(browser0, browser) / elapsed, 2),
            ["bench_cpu_s_per_s"] = Math.Round(ProcessCpu.Since(self0, [Environment.ProcessId]) / elapsed, 2),
            ["health_p50_ms"] = Math.Round(health[health.Count / 2], 1),
            ["health_max_ms"] = Math.Round(health[^1], 1),
            ["summaries_per_s"] = Math.Round(sent.Sum() / elapsed, 1),
            ["hub_cpu_s_per_s"] = Math.Round(hubCpu / elapsed, 3),
            ["hub_cpu_ms_per_1000_summaries"] = Math.Round(1e6 * hubCpu / sent.Sum(), 1),
            ["load_1m"] = load,
        };
        if (paced is { } target)
        {
            phase["paced_summaries_per_s"] = target;
        }

        return phase;
    }

    /// <summary>Runs <paramref name="phase"/> with a busy loop pinned to <paramref name="core"/>; marks the phase.</summary>
    private static async Task<Dictionary<string, object>> WithBusyCoreAsync(int core, Func<Task<Dictionary<string, object>>> phase)
    {
        using var loop = Process.Start(new ProcessStartInfo("/usr/bin/taskset", ["-c", core.ToString(CultureInfo.InvariantCulture), "/bin/bash", "-c", "while :; do :; done"]))
            ?? throw new InvalidOperationException("the busy loop did not start");
        try
        {
            var result = await phase();
            result["browser_core_busy"] = true;
            return result;
        }
        finally
        {
            loop.Kill();
            await loop.WaitForExitAsync();
        }
    }

    /// <summary>
    /// For profiling: <c>AIFACTORY_BENCH_PHASE_HOOK</c>, a bash command, is started (not awaited) as each ingest phase
    /// starts, with HUB_PID, PHASE (e.g. "10-paced") and SECONDS in its environment, e.g.
    /// <c>perf record -F 999 -g -p $HUB_PID -o /tmp/hub-$PHASE.data -- sleep $SECONDS</c>.
    /// </summary>
    private static void StartPhaseHook(int hubPid, int dashboards, double seconds, double? paced)
    {
        if (Environment.GetEnvironmentVariable("AIFACTORY_BENCH_PHASE_HOOK") is not { Length: > 0 } hook)
        {
            return;
        }

        var start = new ProcessStartInfo("bash", ["-c", hook]);
        start.Environment["HUB_PID"] = hubPid.ToString(CultureInfo.InvariantCulture);
        start.Environment["PHASE"] = $"{dashboards}-{(paced is null ? "flat" : "paced")}-{++_phases}";
        start.Environment["SECONDS"] = Math.Max(1, seconds - 1).ToString("0", CultureInfo.InvariantCulture);
        Process.Start(start)?.Dispose();
    }

    private static Task SendAsync(HttpClient http, int edge, IEnumerable<(string Line, string Station)> targets, ref long sequence)
    {
        var records = new List<UplinkRecord>();
        var start = DateTimeOffset.UtcNow.AddSeconds(-10);
        foreach (var (line, station) in targets)
        {
            var scores = StandardHistograms.NewScore();
            var latency = StandardHistograms.NewLatencyMs();
            for (var f = 0; f < 20; f++)
            {
                scores.Record(f == 0 ? 0.9 : 0.2);
                latency.Record(1.5 + (f % 3));
            }

            records.Add(new UplinkRecord(++sequence, new StationWindowSummary($"e{edge}", "bench", "p1", line, station, "pump-anomaly", "1.0.0",
                start, start.AddSeconds(10), 20, 19, 1, new Dictionary<string, long> { ["ok"] = 19, ["scratch"] = 1 }, 1, scores.ToData(), latency.ToData(), []), null));
        }

        var batch = new UplinkBatch($"e{edge}", records[0].Sequence, sequence, DateTimeOffset.UtcNow, records, new OutboxReport(0, 0, null, 0, 0, 0));
        return PostAsync(http, batch);
    }

    private static async Task PostAsync(HttpClient http, UplinkBatch batch)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/ingest", batch, AiFactoryJsonContext.Default.UplinkBatch);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static HttpClient Client(Uri hub, string key)
    {
        var http = new HttpClient { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task<(string[] Edges, string Engineer)> SetupAsync(Uri hub, string adminKey)
    {
        using var admin = Client(hub, adminKey);
        await PostAsync(admin, "/api/v1/admin/companies", new { id = "bench" });
        await PostAsync(admin, "/api/v1/admin/companies/bench/plants", new { id = "p1" });
        for (var l = 0; l < Lines; l++)
        {
            await PostAsync(admin, "/api/v1/admin/companies/bench/plants/p1/lines", new { id = $"l{l}" });
            for (var s = 0; s < StationsPerLine; s++)
            {
                await PostAsync(admin, $"/api/v1/admin/companies/bench/plants/p1/lines/l{l}/stations", new { id = $"s{s}" });
            }
        }

        var keys = new string[Edges];
        for (var e = 0; e < Edges; e++)
        {
            keys[e] = (await (await PostAsync(admin, "/api/v1/admin/companies/bench/plants/p1/edges", new { id = $"e{e}" })).Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        }

        var engineer = (await (await PostAsync(admin, "/api/v1/admin/companies/bench/users", new { name = "bench", role = "plant-engineer" })).Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        return (keys, engineer);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        return response.IsSuccessStatusCode ? response : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary><see cref="LineSocketClients"/> as a child process, on the browser's core when pinning.</summary>
    private sealed class SocketClients : IDisposable
    {
        private readonly Process _process;
        private bool _stopped;

        public SocketClients(Uri hub, string key, int pages, bool pinned)
        {
            var start = new ProcessStartInfo(pinned ? "/usr/bin/taskset" : "dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
            if (pinned)
            {
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add(BrowserCore.ToString(CultureInfo.InvariantCulture));
                start.ArgumentList.Add("dotnet");
            }

            foreach (var a in new[] { typeof(LineSocketClients).Assembly.Location, "--line-sockets", hub.ToString(), key, pages.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(a);
            }

            _process = Process.Start(start) ?? throw new InvalidOperationException("the line pages' socket clients did not start");
            if (_process.StandardOutput.ReadLine() != "ready")
            {
                throw new InvalidOperationException($"the line pages' socket clients did not open their {pages} pages");
            }
        }

        /// <summary>Closes the pages; answers what they got ("N messages, M charts").</summary>
        public string Stop()
        {
            _stopped = true;
            _process.StandardInput.Close();
            var got = _process.StandardOutput.ReadLine() ?? "nothing reported";
            if (!_process.WaitForExit(15_000))
            {
                _process.Kill(true);
            }

            return got;
        }

        public void Dispose()
        {
            if (!_stopped)
            {
                Stop();
            }

            _process.Dispose();
        }
    }
}
