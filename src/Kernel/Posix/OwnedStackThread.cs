namespace ForkServer.Kernel.Posix;

/// <summary>
/// Starts a detached thread on a stack that this process maps itself and never unmaps, so that no other thread,
/// in this process or in any process forked from it, is ever placed on that stack.
/// </summary>
/// <remarks>
/// glibc keeps the stacks of finished threads in a cache and hands them to the next threads it creates. After a
/// fork() it treats the stack of every thread the child did not inherit as finished. A stack given with
/// pthread_attr_setstack belongs to the caller: glibc neither reuses nor frees it. <see cref="Forking.ProcessForker"/>
/// says why a forked .NET process needs that.
/// </remarks>
internal static unsafe class OwnedStackThread
{
    private const nuint GuardSize = 64 * 1024;

    /// <summary>
    /// Maps <paramref name="stackSize"/> bytes of stack (reserved lazily, with a guard region below it) and runs
    /// <paramref name="entry"/>(<paramref name="argument"/>) on a new detached thread there. The mapping outlives
    /// the thread: it is released only when the process ends.
    /// </summary>
    public static void Start(nuint stackSize, delegate* unmanaged<nint, nint> entry, nint argument)
    {
        nint mapping = SystemCalls.MapMemory(
            0,
            GuardSize + stackSize,
            SystemCalls.PROT_READ | SystemCalls.PROT_WRITE,
            SystemCalls.MAP_PRIVATE | SystemCalls.MAP_ANONYMOUS | SystemCalls.MAP_NORESERVE | SystemCalls.MAP_STACK,
            -1,
            0);
        if (mapping == SystemCalls.MapFailed)
        {
            throw new PosixException("mmap of a thread stack", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }

        PosixException.ThrowIfFailed(SystemCalls.ProtectMemory(mapping, GuardSize, SystemCalls.PROT_NONE), "mprotect of a thread stack's guard");

        byte* attributes = stackalloc byte[SystemCalls.ThreadAttributesSize];
        ThrowIfError(SystemCalls.ThreadAttributesInit(attributes), "pthread_attr_init");
        try
        {
            ThrowIfError(SystemCalls.ThreadAttributesSetStack(attributes, mapping + (nint)GuardSize, stackSize), "pthread_attr_setstack");
            ThrowIfError(SystemCalls.ThreadAttributesSetDetachState(attributes, SystemCalls.PTHREAD_CREATE_DETACHED), "pthread_attr_setdetachstate");
            nuint thread;
            ThrowIfError(SystemCalls.ThreadCreate(&thread, attributes, entry, argument), "pthread_create");
        }
        finally
        {
            SystemCalls.ThreadAttributesDestroy(attributes);
        }
    }

    private static void ThrowIfError(int error, string operation)
    {
        if (error != 0)
        {
            throw new PosixException(operation, error);
        }
    }
}
