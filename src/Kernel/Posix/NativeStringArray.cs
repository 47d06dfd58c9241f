using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>A NULL-terminated array of NUL-terminated strings in native memory, as execve() takes argv and envp.</summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private readonly byte*[] _strings;

    public NativeStringArray(IReadOnlyList<byte[]> strings)
    {
        _strings = new byte*[strings.Count];
        Pointer = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < strings.Count; i++)
        {
            byte* copy = (byte*)NativeMemory.AllocZeroed((nuint)strings[i].Length + 1);
            strings[i].CopyTo(new Span<byte>(copy, strings[i].Length));
            _strings[i] = copy;
            Pointer[i] = copy;
        }
    }

    public byte** Pointer { get; private set; }

    public void Dispose()
    {
        if (Pointer == null)
        {
            return;
        }

        foreach (byte* copy in _strings)
        {
            NativeMemory.Free(copy);
        }

        NativeMemory.Free(Pointer);
        Pointer = null;
    }
}
