using System.Globalization;
using System.Text;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Decoding.Sparkplug;
using CsCheck;
using static AiFactory.Edge.Sources.Tests.Decoding.SparkplugPayloads;

namespace AiFactory.Edge.Sources.Tests.Decoding;

/// <summary>
/// The payload decoders over arbitrary input: any bytes get samples or a problem, never an exception, and either no
/// sample or one per tag; well-formed payloads of any finite value and any representable time decode to exactly it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DecoderPropertyTests
{
    private static readonly DateTimeOffset Arrival = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] Tags = ["a", "b"];

    private static readonly Gen<long> Millis = Gen.Frequency(
        (3, Gen.OneOf(0L, -1L, long.MaxValue, long.MinValue, DateTimeOffset.MaxValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() + 1, DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MinValue.ToUnixTimeMilliseconds() - 1)),
        (2, Gen.Long[DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()]),
        (1, Gen.Long));

    private static readonly Gen<double> Finite = Gen.Frequency(
        (3, Gen.OneOf(0.0, -0.0, double.MaxValue, double.MinValue, double.Epsilon, 1e-300, 31.8)),
        (3, Gen.Double.Where(double.IsFinite)));

    /// <summary>Random bytes, and text that is nearly a payload (numbers and times near every bound, cut anywhere).</summary>
    private static readonly Gen<byte[]> Input = Gen.Frequency(
        (1, Gen.Byte.Array[0, 120]),
        (2, Gen.Select(Millis, Finite, Gen.Int[0, 80], Gen.Int[0, 3]).Select(p =>
        {
            var text = p.Item4 switch
            {
                0 => Invariant($$"""{"ts": {{p.Item1}}, "a": {{p.Item2:R}}, "b": [{{p.Item2:R}}]}"""),
                1 => Invariant($"{p.Item1};{p.Item2:R};{p.Item2:R}"),
                2 => Invariant($"{p.Item2:R}"),
                _ => Invariant($$$"""{"ts": "{{{p.Item1}}}", "a": "{{{p.Item2:R}}}", "b": {"c": 1}}"""),
            };
            return Encoding.UTF8.GetBytes(text[..Math.Min(text.Length, p.Item3 == 0 ? text.Length : p.Item3)]);
        })));

    public static TheoryData<string> Decoders => new() { "json", "delimited", "number", "sparkplug" };

    [Theory]
    [MemberData(nameof(Decoders))]
    public void Decode_AnyBytes_ReturnsSamplesOrAProblemNeverThrows(string kind) =>
        Input.Sample(payload =>
        {
            var output = new List<TagSample>();
            var problem = Decode(kind, payload, output);

            var expected = kind == "number" ? 1 : Tags.Length;
            Assert.True(output.Count == 0 || output.Count == expected || kind == "sparkplug", $"{output.Count} samples from one payload");
            if (problem is null)
            {
                Assert.All(output, s => Assert.Equal(SampleQuality.Good, s.Quality));
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(problem));
            }
        }, iter: 3_000);

    [Fact]
    public void Json_AnyFiniteValuesAndRepresentableTime_DecodeExactly() =>
        Gen.Select(Finite, Finite, Millis.Where(Representable)).Sample((a, b, ms) =>
        {
            var output = new List<TagSample>();
            var problem = Json().Decode(Encoding.UTF8.GetBytes(Invariant($$$"""{"ts": {{{ms}}}, "a": {{{a:R}}}, "x": {"b": [0, {{{b:R}}}]}}""")), Arrival, output);

            Assert.Null(problem);
            Assert.Equal([new TagSample("a", Time(ms), a), new TagSample("b", Time(ms), b)], output);
        });

    [Fact]
    public void Delimited_AnyFiniteValuesAndRepresentableTime_DecodeExactly() =>
        Gen.Select(Finite, Finite, Millis.Where(Representable)).Sample((a, b, ms) =>
        {
            var output = new List<TagSample>();
            var problem = Delimited().Decode(Encoding.UTF8.GetBytes(Invariant($" {ms};{a:R};{b:R}\n")), Arrival, output);

            Assert.Null(problem);
            Assert.Equal([new TagSample("a", Time(ms), a), new TagSample("b", Time(ms), b)], output);
        });

    [Fact]
    public void Number_AnyFiniteValue_DecodesExactly() =>
        Finite.Sample(a =>
        {
            var output = new List<TagSample>();

            Assert.Null(new NumberPayloadDecoder("a").Decode(Encoding.UTF8.GetBytes(Invariant($"  {a:R} ")), Arrival, output));
            Assert.Equal([new TagSample("a", Arrival, a)], output);
        });

    [Fact]
    public void Sparkplug_AnyFiniteDoubleAndTime_DecodesExactly() =>
        Gen.Select(Finite, Gen.ULong[0, (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()]).Sample((a, ms) =>
        {
            var output = new List<TagSample>();

            Assert.Null(Sparkplug().Decode("spBv1.0/g/DDATA/n/d", Payload(ms, Metric("A", null, a, 10)), Arrival, output));
            Assert.Equal([new TagSample("a", DateTimeOffset.FromUnixTimeMilliseconds((long)ms), a)], output);
        });

    private static string? Decode(string kind, byte[] payload, List<TagSample> output) => kind switch
    {
        "json" => Json().Decode(payload, Arrival, output),
        "delimited" => Delimited().Decode(payload, Arrival, output),
        "number" => new NumberPayloadDecoder("a").Decode(payload, Arrival, output),
        _ => Sparkplug().Decode("spBv1.0/g/DDATA/n/d", payload, Arrival, output),
    };

    private static JsonPayloadDecoder Json() => new(new Dictionary<string, string> { ["a"] = "a", ["b"] = "x.b[1]" }, "ts");

    private static DelimitedPayloadDecoder Delimited() => new(';', new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, 0);

    private static SparkplugDecoder Sparkplug() => new(new Dictionary<string, string> { ["n/d/A"] = "a", ["n/d/B"] = "b" });

    private static bool Representable(long ms) => ms >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
