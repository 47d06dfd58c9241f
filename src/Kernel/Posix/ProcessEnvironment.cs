using System.Runtime.InteropServices;
using System.Text;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// Changes this process's environment where everything sees it: libc's <c>environ</c> (what an embedded interpreter
/// such as libperl reads, and what children inherit) and .NET's own copy, which <c>setenv</c> does not update.
/// </summary>
internal static unsafe class ProcessEnvironment
{
    /// <summary>Sets <paramref name="name"/>; with <paramref name="overwrite"/> false an existing value is kept.</summary>
    /// <exception cref="PosixException">libc refused (a name with '=' or an empty one).</exception>
    public static void Set(string name, string value, bool overwrite = true)
    {
        fixed (byte* nativeName = Encoding.UTF8.GetBytes(name + "\0"))
        fixed (byte* nativeValue = Encoding.UTF8.GetBytes(value + "\0"))
        {
            PosixException.ThrowIfFailed(SystemCalls.SetEnv(nativeName, nativeValue, overwrite ? 1 : 0), $"setenv({name})");
            Environment.SetEnvironmentVariable(name, Marshal.PtrToStringUTF8((nint)SystemCalls.GetEnv(nativeName)));
        }
    }

    /// <summary>Removes <paramref name="name"/> from the environment (nothing happens when it is not set).</summary>
    /// <exception cref="PosixException">libc refused.</exception>
    public static void Unset(string name)
    {
        fixed (byte* nativeName = Encoding.UTF8.GetBytes(name + "\0"))
        {
            PosixException.ThrowIfFailed(SystemCalls.UnsetEnv(nativeName), $"unsetenv({name})");
        }

        Environment.SetEnvironmentVariable(name, null);
    }
}
