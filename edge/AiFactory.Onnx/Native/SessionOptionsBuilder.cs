namespace AiFactory.Onnx.Native;

internal static unsafe class SessionOptionsBuilder
{
    public static OrtHandle Build(OrtApi api, OnnxSessionOptions options, string operation)
    {
        if (options.IntraOpThreads < 0 || options.InterOpThreads < 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"thread counts must be 0 (ORT's default) or more, got intra-op {options.IntraOpThreads}, inter-op {options.InterOpThreads}",
                operation);
        }

        nint raw;
        api.Check(api.CreateSessionOptions(&raw), operation);
        var handle = new OrtHandle(raw, api.ReleaseSessionOptions);
        try
        {
            api.Check(api.SetIntraOpNumThreads(raw, options.IntraOpThreads), operation);
            api.Check(api.SetInterOpNumThreads(raw, options.InterOpThreads), operation);
            api.Check(api.SetSessionGraphOptimizationLevel(raw, (int)options.OptimizationLevel), operation);
            var spinning = options.AllowSpinning ? "1" : "0";
            AddConfigEntry(api, raw, "session.intra_op.allow_spinning", spinning, operation);
            AddConfigEntry(api, raw, "session.inter_op.allow_spinning", spinning, operation);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void AddConfigEntry(OrtApi api, nint options, string key, string value, string operation)
    {
        var keyBytes = Utf8.Encode(key);
        var valueBytes = Utf8.Encode(value);
        fixed (byte* k = keyBytes)
        fixed (byte* v = valueBytes)
        {
            api.Check(api.AddSessionConfigEntry(options, k, v), operation);
        }
    }
}
