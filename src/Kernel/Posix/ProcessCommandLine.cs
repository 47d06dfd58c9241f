using System.Runtime.InteropServices;
using System.Text;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// Rewrites what <c>/proc/&lt;pid&gt;/cmdline</c> (and so <c>ps aux</c>) shows for this process, as setproctitle(3)
/// does: the text is written over the argument area, followed by a NUL and padded with spaces, so that the kernel,
/// seeing the area's last byte is not NUL, reports the text up to that first NUL.
/// </summary>
/// <remarks>
/// A forked process shares the base's argument area (its arguments, not the vassal's), which may be too short for
/// the new text. The first call therefore moves the area to a buffer of <see cref="Capacity"/> bytes with
/// prctl(PR_SET_MM_ARG_START/ARG_END), which needs CAP_SYS_RESOURCE: a master does it while still root, and its
/// workers, forked with a copy of that buffer, overwrite it in place after dropping privileges. Without the
/// capability the text is written over the original area, cut to its length.
/// </remarks>
internal static unsafe class ProcessCommandLine
{
    /// <summary>Bytes of the buffer the area moves to: room for a long vassal ini path.</summary>
    public const int Capacity = 1024;

    private const int PrSetMm = 35;
    private const int PrSetMmArgStart = 8;
    private const int PrSetMmArgEnd = 9;

    // The area this process (or the one it was forked from) moved or found; inherited across fork.
    private static byte* s_area;
    private static int s_length;
    private static byte[]? s_original;

    /// <summary>The NUL-separated arguments this image was started with, as /proc/self/cmdline gave them before any <see cref="Set"/>.</summary>
    public static byte[] Original() => s_original ?? File.ReadAllBytes("/proc/self/cmdline");

    /// <summary>Shows <paramref name="text"/> as this process's command line; false when it could not be set at all.</summary>
    /// <param name="text">The text.</param>
    /// <param name="keepOriginal">
    /// Remember the command line first, for <see cref="Original"/> (a classic master re-executes itself with it). An
    /// adopted process shows the base's, which it never needs: it skips reading the file.
    /// </param>
    public static bool Set(string text, bool keepOriginal)
    {
        if (s_area == null)
        {
            s_original = keepOriginal ? Original() : null;
            if (!MoveArea() && !FindOriginalArea())
            {
                return false;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        int length = Math.Min(bytes.Length, s_length - 1);
        fixed (byte* source = bytes)
        {
            NativeMemory.Copy(source, s_area, (nuint)length);
        }

        s_area[length] = 0;

        // A loop, not Span.Fill or NativeMemory.Fill: their generic helper (SpanHelpers.Fill<byte>) is compiled at its
        // first use, which would be in every adopted process.
        for (int i = length + 1; i < s_length; i++)
        {
            s_area[i] = (byte)' ';
        }
        return true;
    }

    // Never freed: the kernel reads it for as long as the process lives.
    private static bool MoveArea()
    {
        byte* buffer = (byte*)NativeMemory.AllocZeroed(Capacity + 1);
        nuint start = (nuint)buffer;
        nuint end = start + Capacity;

        // The kernel checks start <= end after each call: set first whichever keeps that true against the old area.
        bool moved = SystemCalls.Prctl(PrSetMm, PrSetMmArgStart, start, 0, 0) == 0
            ? SystemCalls.Prctl(PrSetMm, PrSetMmArgEnd, end, 0, 0) == 0
            : SystemCalls.Prctl(PrSetMm, PrSetMmArgEnd, end, 0, 0) == 0 && SystemCalls.Prctl(PrSetMm, PrSetMmArgStart, start, 0, 0) == 0;
        if (!moved)
        {
            NativeMemory.Free(buffer);
            return false;
        }

        s_area = buffer;
        s_length = Capacity;
        return true;
    }

    // arg_start and arg_end are fields 48 and 49 of /proc/self/stat (proc(5)); the fields after the command name,
    // which may hold spaces, start with field 3.
    private static bool FindOriginalArea()
    {
        string stat;
        try
        {
            stat = File.ReadAllText("/proc/self/stat");
        }
        catch (IOException)
        {
            return false;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 47 || !ulong.TryParse(fields[45], out ulong start) || !ulong.TryParse(fields[46], out ulong end) || end <= start)
        {
            return false;
        }

        s_area = (byte*)start;
        s_length = (int)Math.Min(end - start, Capacity);
        return true;
    }
}
