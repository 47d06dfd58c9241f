using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// Re-executes the running program in place (same pid, same argv) with changes to its environment, and tells
/// a re-executed image from the original. Signal masks survive execve; dispositions other than ignore do not.
/// </summary>
internal static unsafe class ProcessImage
{
    // Present only in the environment of a re-executed image, so that a restart can never loop.
    private const string RestartMarker = "FORKSERVER_RESTARTED_IMAGE";
    private const string SelfExecutable = "/proc/self/exe";
    private static readonly nint IgnoreDisposition = 1; // SIG_IGN

    /// <summary>
    /// True in an image started by <see cref="Restart"/>; the marker is removed from the environment on the first
    /// call, so that it never reaches a child.
    /// </summary>
    public static bool ConsumeRestartMarker() => ConsumeVariable(RestartMarker) is not null;

    /// <summary>
    /// Reads and removes an environment variable that was meant for this image only (set by <see cref="Restart"/>).
    /// It is read and removed natively, so it never reaches .NET's environment snapshot or a child.
    /// </summary>
    public static string? ConsumeVariable(string name)
    {
        fixed (byte* nativeName = Encoding.UTF8.GetBytes(name + "\0"))
        {
            byte* value = SystemCalls.GetEnv(nativeName);
            if (value == null)
            {
                return null;
            }

            string text = Marshal.PtrToStringUTF8((nint)value)!;
            PosixException.ThrowIfFailed(SystemCalls.UnsetEnv(nativeName), $"unsetenv({name})");
            return text;
        }
    }

    /// <summary>Execs this program again with <paramref name="environmentChanges"/> applied; returns only on failure (throws).</summary>
    public static void Restart(IReadOnlyDictionary<string, string> environmentChanges)
    {
        // The argv this image was started with (dotnet host and dll included), NUL-terminated: /proc/self/cmdline,
        // unless a process name (procname) has replaced it since.
        var argv = SplitAtNul(ProcessCommandLine.Original());
        var changes = environmentChanges.ToDictionary(change => change.Key, string? (change) => change.Value);
        changes[RestartMarker] = "1";
        var environment = SpawnEnvironment.Build(changes);

        // Exec the link's target, not /proc/self/exe itself: the kernel names the process after the path's last
        // component, and ps would otherwise show every ForkServer process as "exe".
        string executable = new FileInfo(SelfExecutable).LinkTarget ?? SelfExecutable;
        using var nativeArgv = new NativeStringArray(argv);
        using var nativeEnvironment = new NativeStringArray(environment);
        fixed (byte* path = Encoding.UTF8.GetBytes(executable + "\0"))
        {
            SystemCalls.Execve(path, nativeArgv.Pointer, nativeEnvironment.Pointer);
        }

        throw new PosixException($"execve({executable}) to restart this program", Marshal.GetLastPInvokeError());
    }

    /// <summary>True when SIGCHLD is ignored: then the kernel reaps children on its own and no exit status survives.</summary>
    public static bool IsChildSignalIgnored()
    {
        SystemCalls.SignalAction current;
        PosixException.ThrowIfFailed(SystemCalls.SigAction(SIGCHLD, null, &current), "sigaction to read the SIGCHLD disposition");
        return current.Handler == IgnoreDisposition;
    }

    /// <summary>Sets SIGCHLD back to its default disposition (an ignored disposition would survive execve).</summary>
    public static void SetChildSignalDefault()
    {
        SystemCalls.SignalAction defaultAction = default; // SIG_DFL, empty mask, no flags
        PosixException.ThrowIfFailed(SystemCalls.SigAction(SIGCHLD, &defaultAction, null), "sigaction(SIGCHLD, SIG_DFL)");
    }

    private static List<byte[]> SplitAtNul(byte[] block)
    {
        var parts = new List<byte[]>();
        for (int start = 0; start < block.Length;)
        {
            int end = Array.IndexOf(block, (byte)0, start);
            end = end < 0 ? block.Length : end;
            parts.Add(block[start..end]);
            start = end + 1;
        }

        return parts;
    }
}
