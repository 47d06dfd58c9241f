using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Resolves uid/gid options and drops a forked process's privileges to them.</summary>
internal static unsafe partial class Credentials
{
    private const int PR_SET_DUMPABLE = 4;
    private const int InitialLookupBuffer = 1024;
    private const int MaxLookupBuffer = 1 << 20;

    /// <summary>
    /// Resolves each of <paramref name="uid"/> and <paramref name="gid"/>: a number is taken as is, anything else
    /// is looked up as a user (passwd) or group name. A null uid keeps the current one. A null gid with a user
    /// name means that user's primary group (as systemd's <c>User=</c> does), so a root-started vassal never keeps
    /// group 0 by accident; with a numeric uid and no gid there is no such group to take, so it is an error.
    /// </summary>
    /// <exception cref="ArgumentException">A name has no passwd/group entry, or a numeric uid comes without a gid.</exception>
    public static (uint Uid, uint Gid) Resolve(string? uid, string? gid)
    {
        if (uid is null)
        {
            return (getuid(), gid is null ? getgid() : ParseId(gid) ?? LookupGroup(gid));
        }

        if (ParseId(uid) is { } numericUid)
        {
            return gid is null
                ? throw new ArgumentException($"uid {uid} is numeric and no gid is set: set gid too")
                : (numericUid, ParseId(gid) ?? LookupGroup(gid));
        }

        var user = Lookup<SystemCalls.PasswdEntry>(uid, "user", &SystemCalls.GetPasswdByName);
        return (user.Uid, gid is null ? user.Gid : ParseId(gid) ?? LookupGroup(gid));
    }

    /// <summary>
    /// Becomes <paramref name="uid"/>:<paramref name="gid"/> for good: supplementary groups cleared, then setgid,
    /// then setuid (the order matters: after setuid the process may no longer change its groups). Nothing to do
    /// when the process already is that uid and gid. Verified afterwards, because a half-done drop must not
    /// leave a process running with privileges it was meant to lose.
    /// </summary>
    public static void Drop(uint uid, uint gid)
    {
        if (getuid() == uid && geteuid() == uid && getgid() == gid && getegid() == gid)
        {
            return;
        }

        if (SupplementaryGroupCount() != 0)
        {
            PosixException.ThrowIfFailed(SystemCalls.SetGroups(0, null), "setgroups(0) to clear the supplementary groups");
        }

        if (getgid() != gid || getegid() != gid)
        {
            PosixException.ThrowIfFailed(SetGid(gid), $"setgid({gid})");
        }

        if (getuid() != uid || geteuid() != uid)
        {
            PosixException.ThrowIfFailed(SetUid(uid), $"setuid({uid})");
        }

        // setuid made the process non-dumpable, which makes /proc/self/* root-owned: the fork primitive reads
        // /proc/self/task/*/syscall before every fork, so take back ownership of our own /proc entries.
        PosixException.ThrowIfFailed(SystemCalls.Prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "prctl(PR_SET_DUMPABLE, 1)");

        int groups = SupplementaryGroupCount();
        if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid || groups != 0)
        {
            throw new InvalidOperationException(
                $"Privilege drop to {uid}:{gid} did not take: now uid {getuid()}/{geteuid()}, gid {getgid()}/{getegid()}, "
                + $"{groups} supplementary groups");
        }
    }

    private static uint? ParseId(string value)
        => uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint id) ? id : null;

    private static int SupplementaryGroupCount()
        => PosixException.ThrowIfFailed(GetGroups(0, null), "getgroups to count the supplementary groups");

    private static uint LookupGroup(string name)
        => Lookup<SystemCalls.GroupEntry>(name, "group", &SystemCalls.GetGroupByName).Gid;

    /// <summary>The primary group of the user with <paramref name="uid"/>, or null when no passwd entry has that uid.</summary>
    public static uint? PrimaryGroupOf(uint uid)
    {
        var entry = Lookup((SystemCalls.PasswdEntry* e, byte* buffer, nuint size, SystemCalls.PasswdEntry** found)
            => SystemCalls.GetPasswdById(uid, e, buffer, size, found), $"uid {uid}");
        return entry?.Gid;
    }

    private static TEntry Lookup<TEntry>(string name, string kind, delegate*<byte*, TEntry*, byte*, nuint, TEntry**, int> lookup)
        where TEntry : unmanaged
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var entry = Lookup((TEntry* e, byte* buffer, nuint size, TEntry** found) =>
        {
            fixed (byte* namePointer = nameBytes)
            {
                return lookup(namePointer, e, buffer, size, found);
            }
        }, $"{kind} '{name}'");
        return entry
            ?? throw new ArgumentException($"Unknown {kind} '{name}': no such {kind} name, and not a numeric id", nameof(name));
    }

    // getpwnam_r and its kin report ERANGE when the entry's strings do not fit: retry with a larger buffer. Only
    // the numeric fields of the entry are used, so the buffer the strings live in can be freed on return.
    private static TEntry? Lookup<TEntry>(LookupCall<TEntry> lookup, string what)
        where TEntry : unmanaged
    {
        for (int size = InitialLookupBuffer; ; size *= 2)
        {
            byte* buffer = (byte*)NativeMemory.Alloc((nuint)size);
            try
            {
                TEntry entry;
                TEntry* found = null;
                int error = lookup(&entry, buffer, (nuint)size, &found);
                if (error == ERANGE && size < MaxLookupBuffer)
                {
                    continue;
                }

                if (error != 0)
                {
                    throw new PosixException($"looking up {what}", error);
                }

                return found != null ? entry : null;
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }
    }

    private delegate int LookupCall<TEntry>(TEntry* entry, byte* buffer, nuint size, TEntry** found)
        where TEntry : unmanaged;
}
