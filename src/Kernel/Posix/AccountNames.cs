using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>The names of users and groups by id (passwd and group through NSS), as <c>%U</c> and <c>%G</c> need them.</summary>
internal static unsafe class AccountNames
{
    private const int InitialBuffer = 1024;
    private const int MaxBuffer = 1 << 20;

    /// <summary>The name of the user with <paramref name="uid"/>, or <c>null</c> when it has no passwd entry.</summary>
    public static string? UserName(uint uid)
        => Find((buffer, size) =>
        {
            SystemCalls.PasswdEntry entry;
            SystemCalls.PasswdEntry* found = null;
            int error = SystemCalls.GetPasswdById(uid, &entry, (byte*)buffer, size, &found);
            return (error, found == null ? null : Marshal.PtrToStringUTF8((nint)entry.Name));
        });

    /// <summary>The name of the group with <paramref name="gid"/>, or <c>null</c> when it has no group entry.</summary>
    public static string? GroupName(uint gid)
        => Find((buffer, size) =>
        {
            SystemCalls.GroupEntry entry;
            SystemCalls.GroupEntry* found = null;
            int error = SystemCalls.GetGroupById(gid, &entry, (byte*)buffer, size, &found);
            return (error, found == null ? null : Marshal.PtrToStringUTF8((nint)entry.Name));
        });

    // The *_r calls report ERANGE when the entry's strings do not fit: retry with a larger buffer. The name is
    // copied out before the buffer it lives in is freed. A failed lookup is "no name": the callers fall back to the id.
    private static string? Find(Func<nint, nuint, (int Error, string? Name)> lookup)
    {
        for (int size = InitialBuffer; size <= MaxBuffer; size *= 2)
        {
            byte* buffer = (byte*)NativeMemory.Alloc((nuint)size);
            try
            {
                var (error, name) = lookup((nint)buffer, (nuint)size);
                if (error != ERANGE)
                {
                    return error == 0 ? name : null;
                }
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }

        return null;
    }
}
