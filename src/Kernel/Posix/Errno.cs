using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// The error numbers code outside this folder tells apart (in <see cref="PosixException.Errno"/> or an errno a
/// wrapper reports), in the generic Linux numbering (x86_64 and arm64). <see cref="Signals"/> says why they are here.
/// </summary>
internal static class Errno
{
    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int EPIPE = 32;
    public const int ECONNRESET = 104;

    /// <summary>The C library's text for <paramref name="errno"/> ("No such file or directory"), for logs.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
