using System.Text;
using System.Threading;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// What a worker is doing, in a page it shares with its master (<see cref="SharedPage"/>, mapped before the fork): the
/// worker writes when a request starts and ends, at the cost of a few memory writes and no system call; the master
/// reads it on its one-second tick to kill a worker stuck in one request (<c>harakiri</c>) and to learn why a worker
/// that exited on its own did so (<c>max-requests</c>).
/// </summary>
/// <remarks>
/// Layout: a sequence number, odd while the worker writes (a seqlock: the master retries a read that saw it change),
/// the start of the current request (<see cref="Environment.TickCount64"/>, the same monotonic clock in both
/// processes; 0 when idle), the requests served, why the worker recycles itself, and the request line.
/// </remarks>
internal sealed unsafe class WorkerStatus : IDisposable
{
    private const int SequenceOffset = 0;
    private const int StartedAtOffset = 8;
    private const int RequestsOffset = 16;
    private const int RecycleOffset = 24;
    private const int LineLengthOffset = 28;
    private const int LineOffset = 32;
    private const int MaxLineBytes = 1024;

    private readonly SharedPage _page;

    private WorkerStatus(SharedPage page) => _page = page;

    /// <summary>Maps a new status page, before the worker is forked.</summary>
    /// <exception cref="PosixException">mmap failed.</exception>
    public static WorkerStatus Create() => new(SharedPage.Map());

    private long* Sequence => (long*)(_page.Address + SequenceOffset);

    private long* StartedAt => (long*)(_page.Address + StartedAtOffset);

    private long* Requests => (long*)(_page.Address + RequestsOffset);

    private int* Recycle => (int*)(_page.Address + RecycleOffset);

    private int* LineLength => (int*)(_page.Address + LineLengthOffset);

    /// <summary>In the worker: a request starts; <paramref name="method"/>, <paramref name="target"/> and the rest make its line.</summary>
    public void BeginRequest(string method, string target, string protocol, string remoteAddress)
    {
        Interlocked.Increment(ref *Sequence);
        var line = new Span<byte>(_page.Address + LineOffset, MaxLineBytes);
        int length = 0;
        length += Append(line[length..], method);
        length += Append(line[length..], " ");
        length += Append(line[length..], target);
        length += Append(line[length..], " ");
        length += Append(line[length..], protocol);
        length += Append(line[length..], " from ");
        length += Append(line[length..], remoteAddress);
        *LineLength = length;
        *StartedAt = Math.Max(1, Environment.TickCount64);
        Interlocked.Increment(ref *Sequence);
    }

    /// <summary>In the worker: the request ended (its response is complete or abandoned).</summary>
    public void EndRequest()
    {
        Interlocked.Increment(ref *Sequence);
        *StartedAt = 0;
        (*Requests)++;
        Interlocked.Increment(ref *Sequence);
    }

    /// <summary>In the worker: it stops on its own, for <paramref name="reason"/>, and should be replaced at once.</summary>
    public void MarkRecycling(WorkerRecycleReason reason) => Volatile.Write(ref *Recycle, (int)reason);

    /// <summary>In the master: why the worker said it recycles itself (<see cref="WorkerRecycleReason.None"/>: it did not).</summary>
    public WorkerRecycleReason RecycleReason => (WorkerRecycleReason)Volatile.Read(ref *Recycle);

    /// <summary>In the master: the requests the worker finished.</summary>
    public long RequestsServed => Volatile.Read(ref *Requests);

    /// <summary>
    /// In the master: when the worker's current request started (<see cref="Environment.TickCount64"/>) and its line;
    /// false when it serves none.
    /// </summary>
    public bool TryReadCurrentRequest(out long startedAt, out string line)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            long before = Volatile.Read(ref *Sequence);
            if ((before & 1) != 0)
            {
                Thread.SpinWait(20);
                continue;
            }

            startedAt = Volatile.Read(ref *StartedAt);
            int length = Math.Clamp(Volatile.Read(ref *LineLength), 0, MaxLineBytes);
            line = startedAt == 0 ? "" : Encoding.ASCII.GetString(_page.Address + LineOffset, length);
            if (Volatile.Read(ref *Sequence) == before)
            {
                return startedAt != 0;
            }
        }

        // The worker is writing on every look: it is not stuck.
        startedAt = 0;
        line = "";
        return false;
    }

    public void Dispose() => _page.Dispose();

    // Non-ASCII bytes (a target is percent-encoded on the wire; a method or address never has any) become '?'.
    private static int Append(Span<byte> destination, string text)
    {
        int count = Math.Min(destination.Length, text.Length);
        for (int i = 0; i < count; i++)
        {
            char c = text[i];
            destination[i] = c is >= ' ' and < (char)127 ? (byte)c : (byte)'?';
        }

        return count;
    }
}

/// <summary>Why a worker stopped on its own (<see cref="WorkerStatus.MarkRecycling"/>).</summary>
internal enum WorkerRecycleReason
{
    None = 0,

    /// <summary>It served <c>max-requests</c> requests.</summary>
    MaxRequests = 1,
}
