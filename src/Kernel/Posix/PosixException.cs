using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>A failed system call: carries errno and what was being done.</summary>
internal sealed class PosixException : Exception
{
    public PosixException(string operation, int errno)
        : base($"{operation} failed: {Posix.Errno.Describe(errno)} (errno {errno})")
    {
        Operation = operation;
        Errno = errno;
    }

    public string Operation { get; }

    public int Errno { get; }

    /// <summary>Throws for the last P/Invoke error when <paramref name="result"/> is negative.</summary>
    public static int ThrowIfFailed(int result, string operation)
        => result < 0 ? throw new PosixException(operation, Marshal.GetLastPInvokeError()) : result;

    /// <inheritdoc cref="ThrowIfFailed(int, string)"/>
    public static long ThrowIfFailed(long result, string operation)
        => result < 0 ? throw new PosixException(operation, Marshal.GetLastPInvokeError()) : result;
}
