namespace AiFactory.Edge.Core.Frames;

/// <summary>How a station's tag values are cut into frames.</summary>
public enum FrameKind
{
    /// <summary>One vector per sample cycle: a frame closes when every tag has a fresh value, or a tag repeats first.</summary>
    Sample = 0,

    /// <summary>Per-sample vectors, of which the model card's <c>input.window</c> consecutive ones make the model input (FrameWindow).</summary>
    Window = 1,

    /// <summary>One vector per part: a frame closes when the trigger tag arrives.</summary>
    Part = 2,
}
