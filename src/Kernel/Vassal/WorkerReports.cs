using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// A worker's end of its ready pipe: what it tells its master, byte <see cref="Ready"/> once it accepts connections and
/// byte <see cref="Loyal"/> once it sent its first response. A worker runs application code, so it holds no channel to
/// the Emperor: the master alone does, and passes on what its workers report (<c>VassalMaster.OnWorkerReport</c>).
/// </summary>
/// <remarks>
/// A self-hosted application's server reports its first response from any thread, maybe before the worker reported
/// ready: the bytes go in that order all the same, and the pipe is closed once both went.
/// </remarks>
internal sealed class WorkerReports(int pipe)
{
    /// <summary>The worker accepts connections.</summary>
    public const byte Ready = 1;

    /// <summary>The worker sent its first response (the Emperor's "loyal").</summary>
    public const byte Loyal = 17;

    private readonly object _gate = new();
    private bool _ready;
    private bool _loyal;
    private int _pipe = pipe;

    /// <summary>Reports that the worker accepts connections (once).</summary>
    public void ReportReady()
    {
        lock (_gate)
        {
            if (!_ready)
            {
                _ready = true;
                Write(_loyal ? [Ready, Loyal] : [Ready]);
            }
        }
    }

    /// <summary>Reports the first response (once; later calls do nothing).</summary>
    public void ReportLoyal()
    {
        lock (_gate)
        {
            if (!_loyal)
            {
                _loyal = true;
                if (_ready)
                {
                    Write([Loyal]);
                }
            }
        }
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        // A master that is gone makes no difference here: the worker learns it by its parent-death signal.
        _ = DescriptorIo.TryWriteAll(_pipe, bytes, out _);
        if (_ready && _loyal)
        {
            Descriptors.Close(_pipe);
            _pipe = -1;
        }
    }
}
