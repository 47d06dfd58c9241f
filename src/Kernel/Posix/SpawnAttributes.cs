using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// An initialised posix_spawnattr_t in native memory: the child's signal mask, and every catchable signal reset to
/// its default disposition. exec resets handlers by itself, but an ignored disposition (the runtime ignores SIGPIPE)
/// would survive into the child.
/// </summary>
internal sealed unsafe class SpawnAttributes : IDisposable
{
    private void* _attributes;

    private SpawnAttributes(void* attributes) => _attributes = attributes;

    public void* Pointer => _attributes;

    /// <summary>Attributes whose child starts with exactly <paramref name="signalMask"/> (kernel 64-bit layout) blocked.</summary>
    public static SpawnAttributes Create(ulong signalMask)
    {
        void* attributes = NativeMemory.AllocZeroed(SpawnCalls.AttributesSize);
        int error = SpawnCalls.AttributesInit(attributes);
        if (error != 0)
        {
            NativeMemory.Free(attributes);
            throw new PosixException("posix_spawnattr_init", error);
        }

        var created = new SpawnAttributes(attributes);
        try
        {
            ulong* set = stackalloc ulong[SpawnCalls.SigSetWords];
            new Span<ulong>(set, SpawnCalls.SigSetWords).Clear();
            set[0] = signalMask;
            SpawnCalls.ThrowOnError(SpawnCalls.AttributesSetSignalMask(attributes, set), "posix_spawnattr_setsigmask");

            // SIGKILL and SIGSTOP cannot be caught, so they are left out.
            set[0] = ulong.MaxValue & ~(1UL << (SIGKILL - 1)) & ~(1UL << (SIGSTOP - 1));
            SpawnCalls.ThrowOnError(SpawnCalls.AttributesSetDefaultSignals(attributes, set), "posix_spawnattr_setsigdefault");

            SpawnCalls.ThrowOnError(SpawnCalls.AttributesSetFlags(attributes, SpawnCalls.POSIX_SPAWN_SETSIGMASK | SpawnCalls.POSIX_SPAWN_SETSIGDEF), "posix_spawnattr_setflags");
            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_attributes == null)
        {
            return;
        }

        int error = SpawnCalls.AttributesDestroy(_attributes);
        NativeMemory.Free(_attributes);
        _attributes = null;
        SpawnCalls.ThrowOnError(error, "posix_spawnattr_destroy");
    }
}
