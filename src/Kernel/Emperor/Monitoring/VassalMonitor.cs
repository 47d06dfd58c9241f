using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>
/// Watches one vassal directory (or glob) with inotify and reports vassal files added, modified (mtime changed)
/// and removed, within milliseconds of the change. Runs on the thread of its <see cref="EventLoop"/>.
/// </summary>
/// <remarks>
/// Every report is decided by stat(2) against what is known, never by the event kind alone, so late, repeated
/// or reordered events cannot report a change twice. <see cref="Rescan"/> is the safety net for what inotify
/// cannot see (a parent directory renamed, a queue overflow, a file still being written when created).
/// </remarks>
internal sealed partial class VassalMonitor : IDisposable
{
    private readonly EventLoop _loop;
    private readonly MonitorSpec _spec;
    private readonly Action<VassalFileEvent> _onChange;
    private readonly ILogger _logger;
    private readonly InotifyInstance _inotify;

    // Keyed by file name inside the directory; reports about several files sort the names (SortedNames). Not a
    // SortedDictionary: its tree code over these types is not precompiled, so the Emperor JIT-compiled some of it
    // for each of the first files dropped.
    private readonly Dictionary<string, VassalFileStatus> _known = new(StringComparer.Ordinal);
    private bool _started;

    /// <param name="loop">The loop that runs the monitor.</param>
    /// <param name="spec">A directory (<c>/etc/vassals</c>, <c>dir:///etc/vassals</c>) or a glob (<c>glob:///etc/vassals/*.ini</c>).</param>
    /// <param name="onChange">Called for every change; an exception it throws is logged and the monitor goes on.</param>
    /// <param name="logger">Where problems and state changes are logged.</param>
    /// <exception cref="ArgumentException">The spec is empty or puts wildcards in its directory part.</exception>
    public VassalMonitor(EventLoop loop, string spec, Action<VassalFileEvent> onChange, ILogger logger)
    {
        _spec = MonitorSpec.Parse(spec);
        _loop = loop;
        _onChange = onChange;
        _logger = logger;

        // Last, so a bad spec leaves no descriptor behind.
        _inotify = new InotifyInstance();
    }

    /// <summary>The spec as given.</summary>
    public string Spec => _spec.Text;

    /// <summary>Instance names of the vassal files currently known, sorted.</summary>
    public IReadOnlyCollection<string> Known => SortedNames(_known.Keys).Select(_spec.InstanceName).ToList();

    /// <summary>
    /// Adds the inotify fd to the loop and reports Added for every vassal file present, sorted by name. A missing
    /// directory is logged and watched for.
    /// </summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_inotify.Fd < 0, this);
        if (_started)
        {
            throw new InvalidOperationException($"Monitor {_spec.Text} is already started");
        }

        _started = true;
        _loop.Add(_inotify.Fd, EventLoop.Readable, OnReadable);
        TryWatchDirectory();
        ScanDirectory();
    }

    /// <summary>
    /// Compares the directory with what is known and reports every difference; also re-establishes a lost watch.
    /// The Emperor calls it every few seconds.
    /// </summary>
    public void Rescan()
    {
        if (!_started || _inotify.Fd < 0)
        {
            return;
        }

        try
        {
            if (_directoryWatch >= 0 && !IsWatchedDirectoryInPlace())
            {
                LoseDirectory(stillWatched: true);
            }

            TryWatchDirectory();
            ScanDirectory();
        }
        catch (PosixException e)
        {
            Log.MonitorFailed(_logger, e, _spec.Text);
        }
    }

    public void Dispose()
    {
        if (_inotify.Fd < 0)
        {
            return;
        }

        if (_started)
        {
            _loop.Remove(_inotify.Fd);
        }

        _inotify.Dispose();
    }

    private static List<string> SortedNames(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToList();

    /// <summary>Records <paramref name="status"/> and reports the change, shielding the monitor from the callback.</summary>
    private void Report(VassalFileChange change, string fileName, VassalFileStatus status)
    {
        if (change == VassalFileChange.Removed)
        {
            _known.Remove(fileName);
        }
        else
        {
            _known[fileName] = status;
        }

        var fileEvent = new VassalFileEvent(
            change, _spec.InstanceName(fileName), _spec.PathOf(fileName), status.ModifiedNs, status.OwnerUid, status.OwnerGid, _spec.Text);
        try
        {
            _onChange(fileEvent);
        }
        catch (Exception e)
        {
            Log.CallbackFailed(_logger, e, change, fileEvent.Name, _spec.Text);
        }
    }
}
