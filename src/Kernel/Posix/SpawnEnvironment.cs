using System.Runtime.InteropServices;
using System.Text;

namespace ForkServer.Kernel.Posix;

/// <summary>The environment block of a spawned child: this process's native environment with changes applied.</summary>
internal static unsafe class SpawnEnvironment
{
    private static readonly nint EnvironAddress = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "environ");

    /// <summary>
    /// The entries ("NAME=value" as bytes) of libc's environ with <paramref name="changes"/> applied: a null value
    /// removes the variable, any other value replaces it or adds it at the end.
    /// </summary>
    public static List<byte[]> Build(IReadOnlyDictionary<string, string?> changes)
    {
        var entries = NativeEntries();
        foreach (var (name, value) in changes)
        {
            if (name.Length == 0 || name.Contains('=') || name.Contains('\0') || value?.Contains('\0') == true)
            {
                throw new ArgumentException($"Environment variable '{name}' cannot be passed to a child: a name must be non-empty without '=' or NUL, a value without NUL", nameof(changes));
            }

            byte[] prefix = Encoding.UTF8.GetBytes(name + "=");
            entries.RemoveAll(entry => entry.AsSpan().StartsWith(prefix));
            if (value is not null)
            {
                entries.Add(Encoding.UTF8.GetBytes($"{name}={value}"));
            }
        }

        return entries;
    }

    // libc's environ, not Environment.GetEnvironmentVariables(): .NET keeps a managed copy that setenv/unsetenv
    // done natively (ProcessImage's restart marker) do not reach, and native entries need not be valid UTF-8.
    private static List<byte[]> NativeEntries()
    {
        var entries = new List<byte[]>();
        byte** environ = *(byte***)EnvironAddress;
        for (; *environ != null; environ++)
        {
            entries.Add(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(*environ).ToArray());
        }

        return entries;
    }
}
