using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>The stat side: comparing what is on disk with what is known, for one name or the whole directory.</summary>
internal sealed partial class VassalMonitor
{
    // Names whose stat failed, so a lasting permission problem is logged once and not on every rescan.
    private readonly HashSet<string> _inaccessible = new(StringComparer.Ordinal);

    /// <summary>Reports Removed for known files that are gone, then Added/Modified for the rest, sorted by name.</summary>
    private void ScanDirectory()
    {
        List<string> present;
        try
        {
            present = Directory.EnumerateFileSystemEntries(_spec.Directory)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(_spec.Admits)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (DirectoryNotFoundException)
        {
            present = [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ScanFailed(_logger, e, _spec.Directory, _spec.Text);
            return;
        }

        var presentNames = present.ToHashSet(StringComparer.Ordinal);
        foreach (var name in SortedNames(_known.Keys.Where(name => !presentNames.Contains(name))))
        {
            Report(VassalFileChange.Removed, name, _known[name]);
        }

        foreach (var name in present)
        {
            Reconcile(name, mayBeUnfinished: false);
        }
    }

    /// <summary>Stats one directory entry and reports how it differs from what is known, if it does.</summary>
    /// <param name="fileName">The entry's name in the directory.</param>
    /// <param name="mayBeUnfinished">The entry may be a plain file still being written (IN_CREATE, IN_ATTRIB).</param>
    private void Reconcile(string fileName, bool mayBeUnfinished)
    {
        if (!_spec.Admits(fileName))
        {
            return;
        }

        string path = _spec.PathOf(fileName);
        var probe = FileProbe.Of(path);
        if (probe.Kind == FileKind.Inaccessible)
        {
            if (_inaccessible.Add(fileName))
            {
                Log.StatFailed(_logger, path, _spec.Text, probe.Errno, Errno.Describe(probe.Errno));
            }

            return;
        }

        _inaccessible.Remove(fileName);
        var status = _known.GetValueOrDefault(fileName);
        if (probe.Kind != FileKind.Regular)
        {
            if (status is not null)
            {
                Report(VassalFileChange.Removed, fileName, status);
            }
        }
        else if (status is not null)
        {
            // Nanosecond precision: a rewrite with identical content still moves mtime, and so still means reload.
            if (probe.Status.ModifiedNs != status.ModifiedNs)
            {
                Report(VassalFileChange.Modified, fileName, probe.Status);
            }
        }
        else if (!mayBeUnfinished || probe.LinkCount > 1 || FileProbe.IsSymbolicLink(path))
        {
            // A hard or symbolic link names an already complete file, and gets no IN_CLOSE_WRITE of its own.
            Report(VassalFileChange.Added, fileName, probe.Status);
        }
    }
}
