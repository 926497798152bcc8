using AiFactory.Contracts;
using Serilog;
using Serilog.Formatting.Display;

namespace AiFactory.Hub.Tests;

/// <summary>The hub's log pipeline escapes control characters in every property, whatever logged it.</summary>
[Trait("Category", "Unit")]
public sealed class ControlCharacterEnricherTests
{
    private const string Template = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}";

    [Fact]
    public void ForgedDetail_WithEnricher_StaysOnOneLine()
    {
        var lines = Log(escape: true, "Refused {Detail} for {Ids}", "x\n[16:09:99 INF] FORGED admin key revoked\r\n", new[] { "a\u001b[2Jb", "ok" });

        Assert.Equal([@"[12:00:00 WRN] Refused x\n[16:09:99 INF] FORGED admin key revoked\r\n for [""a\\u001b[2Jb"",""ok""]"], lines);
    }

    [Fact]
    public void ForgedDetail_WithoutEnricher_ForgesALine()
    {
        // The control: the same event without the enricher does break the line, so the test above can fail.
        var lines = Log(escape: false, "Refused {Detail}", "x\n[16:09:99 INF] FORGED admin key revoked", Array.Empty<string>());

        Assert.Equal(["[12:00:00 WRN] Refused x", "[16:09:99 INF] FORGED admin key revoked"], lines);
    }

    private static string[] Log(bool escape, string template, string detail, string[] ids)
    {
        using var output = new StringWriter();
        var configuration = new LoggerConfiguration().WriteTo.Sink(new TextSink(new MessageTemplateTextFormatter(Template), output));
        if (escape)
        {
            configuration = configuration.Enrich.With<ControlCharacterEnricher>();
        }

        using (var logger = configuration.CreateLogger())
        {
            logger.Write(new Serilog.Events.LogEvent(
                new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero), Serilog.Events.LogEventLevel.Warning, null,
                new Serilog.Parsing.MessageTemplateParser().Parse(template),
                [new Serilog.Events.LogEventProperty("Detail", new Serilog.Events.ScalarValue(detail)),
                 new Serilog.Events.LogEventProperty("Ids", new Serilog.Events.SequenceValue(ids.Select(i => new Serilog.Events.ScalarValue(i))))]));
        }

        return output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
    }

    private sealed class TextSink(MessageTemplateTextFormatter formatter, TextWriter output) : Serilog.Core.ILogEventSink
    {
        public void Emit(Serilog.Events.LogEvent logEvent) => formatter.Format(logEvent, output);
    }
}
