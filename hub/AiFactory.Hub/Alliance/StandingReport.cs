using System.Globalization;
using System.Net;
using System.Text;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// The standing as one self-contained HTML page for management: a table and, per metric, an inline SVG box plot
/// (p10–p90 whiskers, p25–p75 box, median) with the company's own value marked. No scripts, no external files; the
/// print style sheet makes the browser's "print to PDF" a clean report.
/// </summary>
public static class StandingReport
{
    private const int Width = 560;
    private const int Height = 70;
    private const int Margin = 30;

    public static string Render(StandingResponse s)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Where do we stand? {{E(s.Company)}} in {{E(s.Alliance)}}</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; } table { border-collapse: collapse; }
            td, th { border: 1px solid #bbb; padding: 4px 8px; text-align: right; } th:first-child, td:first-child { text-align: left; }
            .metric { page-break-inside: avoid; margin-top: 1.5em; } .note { color: #666; font-size: 0.9em; }
            @media print { body { margin: 0; } }
            </style></head><body>
            <h1>Where do we stand?</h1>
            <p>Company <b>{{E(s.Company)}}</b>, process type <b>{{E(s.ProcessType)}}</b>, alliance <b>{{E(s.Alliance)}}</b>,
            {{s.From:yyyy-MM-dd}} to {{s.To.AddDays(-1):yyyy-MM-dd}} (UTC, whole days).</p>
            <table><tr><th>metric</th><th>you</th><th>p10</th><th>p25</th><th>median</th><th>p75</th><th>p90</th><th>companies</th></tr>

            """);
        foreach (var m in s.Metrics)
        {
            var p = m.Alliance.Percentiles;
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(m.Metric)}</td><td>{F(m.Own)}</td>");
            if (p is null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<td colspan=\"6\">not published: {E(m.Alliance.Suppressed ?? "no data")}</td></tr>\n");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"<td>{F(p["p10"])}</td><td>{F(p["p25"])}</td><td>{F(p["p50"])}</td><td>{F(p["p75"])}</td><td>{F(p["p90"])}</td><td>{m.Alliance.Companies}</td></tr>\n");
            }
        }

        sb.Append("</table>\n");
        foreach (var m in s.Metrics.Where(m => m.Alliance.Percentiles is not null))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"metric\"><h2>{E(m.Metric)}</h2>\n").Append(BoxPlot(m)).Append("</div>\n");
        }

        sb.Append(s.Privacy is { } dp
            ? FormattableString.Invariant($"<p class=\"note\">Alliance figures carry differential-privacy noise ({dp.Mechanism}, ε = {dp.EpsilonPerCell} per figure).</p>\n")
            : "<p class=\"note\">Alliance figures come only from data whose owners' policies allow benchmarking, and only from cells with enough companies and no dominant one.</p>\n");
        return sb.Append("</body></html>\n").ToString();
    }

    /// <summary>The SVG of one metric: axis over the span of the percentiles and the company's value.</summary>
    public static string BoxPlot(StandingMetric m)
    {
        var p = m.Alliance.Percentiles!;
        var lo = Math.Min(p["p10"], m.Own ?? p["p10"]);
        var hi = Math.Max(p["p90"], m.Own ?? p["p90"]);
        if (hi - lo < 1e-12)
        {
            lo -= 0.5;
            hi += 0.5;
        }

        double X(double v) => Margin + ((v - lo) / (hi - lo) * (Width - (2 * Margin)));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{E(m.Metric)}: alliance distribution and your value\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(p["p10"]):F1}\" y1=\"30\" x2=\"{X(p["p90"]):F1}\" y2=\"30\" stroke=\"#555\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(p["p25"]):F1}\" y=\"18\" width=\"{Math.Max(1, X(p["p75"]) - X(p["p25"])):F1}\" height=\"24\" fill=\"#cfe0f5\" stroke=\"#345\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(p["p50"]):F1}\" y1=\"18\" x2=\"{X(p["p50"]):F1}\" y2=\"42\" stroke=\"#123\" stroke-width=\"2\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Margin}\" y=\"62\" font-size=\"11\">{F(lo)}</text><text x=\"{Width - Margin}\" y=\"62\" font-size=\"11\" text-anchor=\"end\">{F(hi)}</text>\n");
        if (m.Own is { } own)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(own):F1}\" cy=\"30\" r=\"6\" fill=\"#c0392b\"><title>you: {F(own)}</title></circle>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(own):F1}\" y=\"12\" font-size=\"11\" text-anchor=\"middle\">you</text>\n");
        }

        return sb.Append("</svg>\n").ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string F(double? v) => v is { } x ? x.ToString(Math.Abs(x) >= 100 ? "0.#" : "0.####", CultureInfo.InvariantCulture) : "–";
}
