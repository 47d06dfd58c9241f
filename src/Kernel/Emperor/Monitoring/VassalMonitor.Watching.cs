using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>The inotify side: which watches exist, and what each event means for the known vassal files.</summary>
internal sealed partial class VassalMonitor
{
    private const uint DirectoryEvents = InotifyMask.IN_CLOSE_WRITE | InotifyMask.IN_MOVED_TO | InotifyMask.IN_CREATE
        | InotifyMask.IN_ATTRIB | InotifyMask.IN_DELETE | InotifyMask.IN_MOVED_FROM | InotifyMask.IN_DELETE_SELF
        | InotifyMask.IN_MOVE_SELF | InotifyMask.IN_ONLYDIR | InotifyMask.IN_EXCL_UNLINK;

    private const uint ParentEvents = InotifyMask.IN_CREATE | InotifyMask.IN_MOVED_TO | InotifyMask.IN_DELETE_SELF
        | InotifyMask.IN_MOVE_SELF | InotifyMask.IN_ONLYDIR;

    private const uint WatchLost = InotifyMask.IN_DELETE_SELF | InotifyMask.IN_MOVE_SELF | InotifyMask.IN_UNMOUNT | InotifyMask.IN_IGNORED;

    // After these a plain file may still be empty or half written; its IN_CLOSE_WRITE is still to come.
    private const uint MaybeUnfinished = InotifyMask.IN_CREATE | InotifyMask.IN_ATTRIB;

    private readonly List<InotifyEvent> _batch = new();
    private int _directoryWatch = -1;
    private (ulong Device, ulong Inode) _directoryIdentity;

    // Only while the directory is missing: its creation in the parent is what brings the watch back.
    private int _parentWatch = -1;

    // The errno of the last failed watch attempt, so a missing directory is logged once, not on every rescan.
    private int _lastWatchErrno;

    private void OnReadable(int events)
    {
        try
        {
            _batch.Clear();
            _inotify.ReadAvailable(_batch);
            bool overflowed = false;
            foreach (var e in _batch)
            {
                if (e.Has(InotifyMask.IN_Q_OVERFLOW))
                {
                    overflowed = true;
                }
                else if (e.Watch == _directoryWatch)
                {
                    OnDirectoryEvent(e);
                }
                else if (e.Watch == _parentWatch)
                {
                    OnParentEvent(e);
                }
            }

            if (overflowed)
            {
                Log.QueueOverflowed(_logger, _spec.Text);
                Rescan();
            }
        }
        catch (PosixException e)
        {
            Log.MonitorFailed(_logger, e, _spec.Text);
        }
    }

    private void OnDirectoryEvent(InotifyEvent e)
    {
        if (e.Has(WatchLost))
        {
            // The kernel keeps watching a moved directory under its new name; a deleted one's watch is already gone.
            LoseDirectory(stillWatched: e.Has(InotifyMask.IN_MOVE_SELF));
            if (TryWatchDirectory())
            {
                ScanDirectory();
            }
        }
        else if (e.Name is not null)
        {
            Reconcile(e.Name, mayBeUnfinished: e.Has(MaybeUnfinished));
        }
    }

    private void OnParentEvent(InotifyEvent e)
    {
        if (e.Has(WatchLost))
        {
            int watch = _parentWatch;
            _parentWatch = -1;
            if (e.Has(InotifyMask.IN_MOVE_SELF))
            {
                _inotify.RemoveWatch(watch);
            }
        }
        else if (e.Name == Path.GetFileName(_spec.Directory) && TryWatchDirectory())
        {
            ScanDirectory();
        }
    }

    /// <summary>Reports every known vassal Removed after the directory itself went away.</summary>
    private void LoseDirectory(bool stillWatched)
    {
        int watch = _directoryWatch;
        _directoryWatch = -1;
        if (stillWatched)
        {
            _inotify.RemoveWatch(watch);
        }

        Log.DirectoryLost(_logger, _spec.Directory, _spec.Text, _known.Count);
        foreach (var name in SortedNames(_known.Keys))
        {
            Report(VassalFileChange.Removed, name, _known[name]);
        }
    }

    /// <summary>Watches the directory if it is not watched yet; when it is missing, watches its parent for it.</summary>
    /// <returns>Whether the directory is watched now.</returns>
    private bool TryWatchDirectory()
    {
        if (_directoryWatch >= 0 || TryAddDirectoryWatch())
        {
            return true;
        }

        // Look again once the parent is watched: the directory may have appeared in between.
        return WatchParent() && TryAddDirectoryWatch();
    }

    private bool TryAddDirectoryWatch()
    {
        int watch;
        try
        {
            watch = _inotify.AddWatch(_spec.Directory, DirectoryEvents);
        }
        catch (PosixException e)
        {
            if (e.Errno != _lastWatchErrno)
            {
                _lastWatchErrno = e.Errno;
                if (e.Errno == Errno.ENOENT || e.Errno == Errno.ENOTDIR)
                {
                    Log.DirectoryMissing(_logger, _spec.Directory, _spec.Text);
                }
                else
                {
                    Log.WatchFailed(_logger, e, _spec.Directory, _spec.Text);
                }
            }

            return false;
        }

        var probe = FileProbe.Of(_spec.Directory);
        _directoryWatch = watch;
        _directoryIdentity = (probe.Device, probe.Inode);
        _lastWatchErrno = 0;
        UnwatchParent();
        Log.Watching(_logger, _spec.Directory, _spec.Text);
        return true;
    }

    private bool WatchParent()
    {
        string? parent = Path.GetDirectoryName(_spec.Directory);
        if (_parentWatch >= 0 || parent is null)
        {
            return _parentWatch >= 0;
        }

        try
        {
            _parentWatch = _inotify.AddWatch(parent, ParentEvents);
            return true;
        }
        catch (PosixException e) when (e.Errno == Errno.ENOENT || e.Errno == Errno.ENOTDIR || e.Errno == Errno.EACCES)
        {
            // The parent is missing or closed too: rescans retry from the top.
            return false;
        }
    }

    private void UnwatchParent()
    {
        if (_parentWatch >= 0)
        {
            int watch = _parentWatch;
            _parentWatch = -1;
            _inotify.RemoveWatch(watch);
        }
    }

    /// <summary>
    /// Whether the watched directory is still the one at the path: a renamed parent moves it away without any
    /// event on the directory itself.
    /// </summary>
    private bool IsWatchedDirectoryInPlace()
    {
        var probe = FileProbe.Of(_spec.Directory);
        return probe.Kind == FileKind.Inaccessible
            || (probe.Kind == FileKind.Other && (probe.Device, probe.Inode) == _directoryIdentity);
    }
}
