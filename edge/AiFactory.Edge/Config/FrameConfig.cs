using AiFactory.Edge.Core.Frames;
using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Config;

/// <summary>Reads a station's <c>frame:</c> mapping (kind, window size, maximum skew, missing-value policy, staleness).</summary>
internal static class FrameConfig
{
    public static FrameOptions Read(ConfigNode station, ModelCard? card, string? trigger)
    {
        var frame = station.Map("frame", "kind", "size", "stride", "max_skew_ms", "missing", "stale_after_ms");
        var kindText = frame?.String("kind") ?? (trigger is null ? "sample" : "part");
        FrameKind kind;
        switch (kindText)
        {
            case "sample":
                kind = FrameKind.Sample;
                break;
            case "window":
                kind = FrameKind.Window;
                break;
            case "part":
                kind = FrameKind.Part;
                break;
            default:
                station.Problems.Add(frame!.Child("kind"), frame.Key("kind"), $"'{kindText}' is not a frame kind", "sample, window or part");
                kind = FrameKind.Sample;
                break;
        }

        if (kind == FrameKind.Part && trigger is null)
        {
            station.Problems.Add(frame?.Child("kind") ?? station.Node, station.Key("trigger"), "part frames need a trigger tag", "trigger: <tag that says 'part complete'>");
        }
        else if (kind != FrameKind.Part && trigger is not null)
        {
            station.Problems.Add(station.Child("trigger"), station.Key("trigger"), $"a trigger closes part frames, and this station's frames are '{kindText}'", "remove the trigger or set frame.kind: part");
        }

        if (frame is not null && kind == FrameKind.Window)
        {
            // The window itself is the model card's (FrameWindow): size only confirms it.
            var size = frame.Int("size", card?.Input.Window ?? 1, 2, 100_000);
            if (card is not null && size != card.Input.Window)
            {
                station.Problems.Add(frame.Child("size"), frame.Key("size"), $"model '{card.Name}' takes windows of {card.Input.Window} samples, not {size}", $"size: {card.Input.Window}, or a model whose card says input.window: {size}");
            }
        }
        else if (frame?.Child("size") is { } sizeNode)
        {
            station.Problems.Add(sizeNode, frame.Key("size"), $"size applies to window frames, and these are '{kindText}'", "frame.kind: window");
        }

        if (kind == FrameKind.Window && card is not null && card.Input.Window < 2)
        {
            station.Problems.Add(frame?.Child("kind") ?? station.Node, frame?.Key("kind") ?? station.Key("frame"), $"model '{card.Name}' takes single samples (input.window: 1)", "frame.kind: sample, or a model with a window");
        }

        var stride = 1;
        if (frame?.Child("stride") is { } strideNode)
        {
            stride = frame.Int("stride", 1, 1, 100_000);
            if (kind != FrameKind.Window)
            {
                station.Problems.Add(strideNode, frame.Key("stride"), $"stride applies to window frames, and these are '{kindText}'", "frame.kind: window");
            }
        }

        var missing = frame?.String("missing") ?? "hold-last";
        if (missing is not ("hold-last" or "drop"))
        {
            station.Problems.Add(frame!.Child("missing"), frame.Key("missing"), $"'{missing}' is not a missing-value policy", "hold-last or drop");
        }

        return new FrameOptions
        {
            Kind = kind,
            Stride = stride,
            Trigger = kind == FrameKind.Part ? trigger : null,
            MaxSkew = (frame is null ? null : TagConfig.Milliseconds(frame, "max_skew_ms")) ?? TimeSpan.MaxValue,
            Missing = missing == "drop" ? MissingValuePolicy.Drop : MissingValuePolicy.HoldLast,
            StaleAfter = (frame is null ? null : TagConfig.Milliseconds(frame, "stale_after_ms")) ?? TimeSpan.MaxValue,
        };
    }
}
