using System.Buffers;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>
/// Where one connection collects a request body: in memory when it is at most the post-buffering size and the
/// worker's <see cref="RequestBodyMemory"/> budget allows, otherwise in an unlinked temporary file (as uWSGI's
/// <c>post-buffering</c> does). A body of unknown length (chunked) starts in memory and moves to a file when it
/// outgrows either bound. <see cref="Release"/> after the request gives everything back.
/// </summary>
internal sealed class RequestBodyBuffer(RequestBodyMemory memory, long inMemoryLimit) : IBufferWriter<byte>
{
    private const int FirstGrowableBytes = 4096;

    private byte[]? _array;
    private int _arrayLength;
    private long _reserved;
    private bool _fixedLength;

    /// <summary>The bytes received so far.</summary>
    public long Length { get; private set; }

    /// <summary>The body when it is held in memory; empty when it is in <see cref="File"/>.</summary>
    public ReadOnlyMemory<byte> Memory => _array is null ? default : _array.AsMemory(0, _arrayLength);

    /// <summary>The spool file's descriptor, -1 when the body is in <see cref="Memory"/>.</summary>
    public int File { get; private set; } = -1;

    /// <summary>Prepares for a body of <paramref name="declaredLength"/> bytes, or of unknown length (-1).</summary>
    /// <exception cref="PosixException">The spool file could not be created.</exception>
    public void Begin(long declaredLength)
    {
        Release();
        if (declaredLength < 0)
        {
            return;
        }

        if (declaredLength <= inMemoryLimit && memory.TryReserve(declaredLength))
        {
            _reserved = declaredLength;
            _array = GC.AllocateUninitializedArray<byte>((int)declaredLength);
            _fixedLength = true;
        }
        else
        {
            Spool();
        }
    }

    /// <summary>Where the next bytes go: the body's own array, or the scratch buffer of a spooled body.</summary>
    /// <exception cref="PosixException">Moving the body to a file failed.</exception>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        if (File < 0 && !_fixedLength && !TryMakeRoom(_arrayLength + (long)Math.Max(sizeHint, 1)))
        {
            Spool();
        }

        return File >= 0 ? memory.Scratch : _array.AsSpan(_arrayLength);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        _ = GetSpan(sizeHint);
        return File >= 0 ? memory.Scratch : _array.AsMemory(_arrayLength);
    }

    /// <summary>Takes <paramref name="count"/> bytes written into the span <see cref="GetSpan"/> returned.</summary>
    /// <exception cref="PosixException">Writing to the spool file failed (no space left, for instance).</exception>
    public void Advance(int count)
    {
        if (File >= 0)
        {
            WriteToFile(memory.Scratch.AsSpan(0, count));
        }
        else
        {
            _arrayLength += count;
        }

        Length += count;
    }

    /// <summary>Drops the body: memory back to the budget, the spool file closed (and so gone).</summary>
    public void Release()
    {
        memory.Release(_reserved);
        _reserved = 0;
        _array = null;
        _arrayLength = 0;
        _fixedLength = false;
        Length = 0;
        if (File >= 0)
        {
            Descriptors.Close(File);
            File = -1;
        }
    }

    private bool TryMakeRoom(long needed)
    {
        if (_array is not null && needed <= _array.Length)
        {
            return true;
        }

        long capacity = Math.Min(Math.Max(needed, Math.Max(FirstGrowableBytes, (_array?.Length ?? 0) * 2L)), inMemoryLimit);
        if (needed > capacity || !memory.TryReserve(capacity - _reserved))
        {
            return false;
        }

        _reserved = capacity;
        var grown = GC.AllocateUninitializedArray<byte>((int)capacity);
        _array?.AsSpan(0, _arrayLength).CopyTo(grown);
        _array = grown;
        return true;
    }

    private void Spool()
    {
        File = TemporaryFiles.CreateUnlinked(memory.SpoolDirectory);
        if (_arrayLength > 0)
        {
            WriteToFile(_array.AsSpan(0, _arrayLength));
        }

        memory.Release(_reserved);
        _reserved = 0;
        _array = null;
        _arrayLength = 0;
        _fixedLength = false;
    }

    private void WriteToFile(ReadOnlySpan<byte> bytes)
    {
        if (!DescriptorIo.TryWriteAll(File, bytes, out int errno))
        {
            throw new PosixException($"write of a request body to a file in {memory.SpoolDirectory}, fd", errno);
        }
    }
}
