using System.Globalization;

namespace AiFactory.Drill;

/// <summary>The drill's table (Markdown, so it pastes into docs/reliability.md), its notes and its closing line.</summary>
internal static class ResultTable
{
    public static void Write(TextWriter output, IReadOnlyList<ScenarioResult> results)
    {
        output.WriteLine("| scenario | database | edges | records sent | stored | lost | doubled | resent (skipped by the hub) | frames sent / in buckets | time to recover |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Database} | {r.Edges} | {N(r.Sent)} | {N(r.Stored)} | {N(r.Lost)} | {N(r.Doubled)} | {N(r.Resent)} | {N(r.SentFrames)} / {N(r.StoredFrames)} | {(r.Recovery is { } t ? $"{t.TotalSeconds:F1} s" : "–")} |"));
        }

        foreach (var r in results)
        {
            foreach (var note in r.Notes.Concat(r.Remarks))
            {
                output.WriteLine($"- {r.Scenario}: {note}");
            }
        }

        var ran = results.Where(r => r.Sent is not null).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Drill: {ran.Count} scenario runs, {ran.Sum(r => r.Sent)} records sent, {ran.Sum(r => r.Lost)} lost, {ran.Sum(r => r.Doubled)} doubled, {results.Count(r => r.Failed)} failed, {results.Count - ran.Count} not run"));
    }

    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "–";
}
