using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// One page of anonymous memory mapped MAP_SHARED: mapped before a fork, the parent and the child see each other's
/// writes to it without a system call (a worker's status, which its master reads).
/// </summary>
internal sealed unsafe class SharedPage : IDisposable
{
    /// <summary>The size of the page, in bytes.</summary>
    public const int Size = 4096;

    private nint _address;

    private SharedPage(nint address) => _address = address;

    /// <summary>The start of the mapping; it stays valid until <see cref="Dispose"/>.</summary>
    public byte* Address => (byte*)_address;

    /// <summary>Maps a zero-filled shared page.</summary>
    /// <exception cref="PosixException">mmap failed (out of memory or mappings).</exception>
    public static SharedPage Map()
    {
        nint address = SystemCalls.MapMemory(0, Size, SystemCalls.PROT_READ | SystemCalls.PROT_WRITE, SystemCalls.MAP_SHARED | SystemCalls.MAP_ANONYMOUS, -1, 0);
        if (address == SystemCalls.MapFailed)
        {
            throw new PosixException("mmap of a shared page", Marshal.GetLastPInvokeError());
        }

        return new SharedPage(address);
    }

    /// <summary>Unmaps this process's view; another process that shares the page keeps its own.</summary>
    public void Dispose()
    {
        if (_address != 0)
        {
            _ = SystemCalls.UnmapMemory(_address, Size);
            _address = 0;
        }
    }
}
