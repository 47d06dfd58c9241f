using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Resolves uid/gid options and drops a forked process's privileges to them.</summary>
internal static unsafe class Credentials
{
    private const int InitialLookupBuffer = 1024;
    private const int MaxLookupBuffer = 1 << 20;

    /// <summary>
    /// Resolves each of <paramref name="uid"/> and <paramref name="gid"/>: a number is taken as is, anything else
    /// is looked up as a user (passwd) or group name. A null option keeps the process's current id.
    /// </summary>
    /// <exception cref="ArgumentException">A name has no passwd/group entry.</exception>
    public static (uint Uid, uint Gid) Resolve(string? uid, string? gid)
        => (uid is null ? getuid() : ParseId(uid) ?? LookupUser(uid),
            gid is null ? getgid() : ParseId(gid) ?? LookupGroup(gid));

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
            PosixException.ThrowIfFailed(setgid(gid), $"setgid({gid})");
        }

        if (getuid() != uid || geteuid() != uid)
        {
            PosixException.ThrowIfFailed(setuid(uid), $"setuid({uid})");
        }

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
        => PosixException.ThrowIfFailed(getgroups(0, null), "getgroups to count the supplementary groups");

    private static uint LookupUser(string name)
        => Lookup<SystemCalls.PasswdEntry>(name, "user", &SystemCalls.GetPasswdByName).Uid;

    private static uint LookupGroup(string name)
        => Lookup<SystemCalls.GroupEntry>(name, "group", &SystemCalls.GetGroupByName).Gid;

    // getpwnam_r/getgrnam_r report ERANGE when the entry's strings do not fit: retry with a larger buffer. Only
    // the numeric fields of the entry are used, so the buffer the strings live in can be freed on return.
    private static TEntry Lookup<TEntry>(string name, string kind, delegate*<byte*, TEntry*, byte*, nuint, TEntry**, int> lookup)
        where TEntry : unmanaged
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        for (int size = InitialLookupBuffer; ; size *= 2)
        {
            byte* buffer = (byte*)NativeMemory.Alloc((nuint)size);
            try
            {
                TEntry entry;
                TEntry* found = null;
                int error;
                fixed (byte* namePointer = nameBytes)
                {
                    error = lookup(namePointer, &entry, buffer, (nuint)size, &found);
                }

                if (error == ERANGE && size < MaxLookupBuffer)
                {
                    continue;
                }

                if (error != 0)
                {
                    throw new PosixException($"looking up {kind} '{name}'", error);
                }

                return found != null
                    ? entry
                    : throw new ArgumentException($"Unknown {kind} '{name}': no such {kind} name, and not a numeric id", nameof(name));
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }
    }
}
