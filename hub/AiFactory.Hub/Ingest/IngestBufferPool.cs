using System.Buffers;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Ingest;

/// <summary>
/// The buffers ingest reads bodies into. Buffers up to <see cref="IngestLimits.PoolMaxBufferBytes"/> come from and go
/// back to a pool of its own that keeps at most <see cref="ArraysPerSize"/> of each size; a larger buffer (a big batch,
/// or a gzip bomb on its way to 413) is allocated for the one request and handed back to nobody, so the garbage
/// collector can give it back to the system (<see cref="IngestMemoryTrimmer"/>). The shared pool would keep such
/// buffers per core for as long as the process lives.
/// </summary>
public sealed class IngestBufferPool(IOptions<HubOptions> options, TimeProvider time)
{
    /// <summary>How many buffers of each size the pool keeps.</summary>
    public const int ArraysPerSize = 16;

    private readonly int _maxPooled = options.Value.Ingest.PoolMaxBufferBytes;
    private readonly ArrayPool<byte> _pool = ArrayPool<byte>.Create(options.Value.Ingest.PoolMaxBufferBytes, ArraysPerSize);
    private long _lastLargeTicks;
    private long _largeBuffers;

    /// <summary>The most the pool can hold on to: every power-of-two size up to the cap, <see cref="ArraysPerSize"/> of each.</summary>
    public long MaxRetainedBytes => 2L * _maxPooled * ArraysPerSize;

    /// <summary>Buffers larger than the pooled sizes handed out since start.</summary>
    public long LargeBuffers => Interlocked.Read(ref _largeBuffers);

    /// <summary>When the last buffer too large for the pool was handed out; null before the first.</summary>
    public DateTimeOffset? LastLargeBuffer => Interlocked.Read(ref _lastLargeTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>A buffer of at least <paramref name="size"/> bytes.</summary>
    public byte[] Rent(int size)
    {
        if (size <= _maxPooled)
        {
            return _pool.Rent(size);
        }

        Interlocked.Increment(ref _largeBuffers);
        Interlocked.Exchange(ref _lastLargeTicks, time.GetUtcNow().UtcTicks);
        return GC.AllocateUninitializedArray<byte>(size);
    }

    /// <summary>Gives a buffer back; one larger than the pooled sizes is dropped.</summary>
    public void Return(byte[] buffer)
    {
        if (buffer.Length <= _maxPooled)
        {
            _pool.Return(buffer);
        }
    }
}
