using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static ForkServer.Plugins.Psgi.Internal.LibPerl;

namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>
/// Perl → .NET calls without XSUBs: the glue's <c>$out_head</c>, <c>$out_chunk</c>, <c>$out_log</c>,
/// <c>$out_signals</c> and <c>$out_exit</c> carry <c>'~'</c> magic whose <c>svt_set</c> is one of these functions, so a
/// Perl assignment calls .NET synchronously with the assigned value. They must never throw: an exception cannot cross
/// Perl's frames.
/// </summary>
internal static unsafe class PerlCallbacks
{
    private static PerlOutput? s_output;

    /// <summary>Puts the set-magic on the glue's output scalars.</summary>
    public static void Attach(nint perl, GlueVariables variables, PerlOutput output)
    {
        s_output = output;
        AttachSetMagic(perl, variables.OutHead, &OnHead);
        AttachSetMagic(perl, variables.OutChunk, &OnChunk);
        AttachSetMagic(perl, variables.OutLog, &OnLog);
        AttachSetMagic(perl, variables.OutSignals, &OnSignals);
        AttachSetMagic(perl, variables.OutExit, &OnExit);
    }

    private static void AttachSetMagic(nint perl, nint sv, delegate* unmanaged[Cdecl]<nint, nint, nint, int> set)
    {
        // struct mgvtbl { get, set, len, clear, free, copy, dup, local }: only set. Lives as long as the process.
        var vtable = (nint*)NativeMemory.AllocZeroed(8, (nuint)sizeof(nint));
        vtable[1] = (nint)set;
        Perl_sv_magicext(perl, sv, 0, MagicExt, (nint)vtable, null, 0);
    }

    private static ReadOnlySpan<byte> Value(nint perl, nint sv)
    {
        // The glue only assigns plain strings, so the no-magic read cannot re-enter Perl code.
        nuint length;
        byte* bytes = PlainStringBytes(perl, sv, &length, 0);
        return new ReadOnlySpan<byte>(bytes, (int)Math.Min(length, int.MaxValue));
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnHead(nint perl, nint sv, nint magic)
    {
        s_output?.OnHead(Value(perl, sv));
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnChunk(nint perl, nint sv, nint magic)
    {
        s_output?.OnChunk(Value(perl, sv));
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnLog(nint perl, nint sv, nint magic)
    {
        s_output?.OnLog(Value(perl, sv));
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnSignals(nint perl, nint sv, nint magic)
    {
        if (PlainInteger(perl, sv, 0) != 0)
        {
            ApplicationSignals.Unblock();
        }
        else
        {
            ApplicationSignals.Block();
        }

        return 0;
    }

    /// <summary>
    /// Ends a process the application forked (the glue's <c>exit</c> there, after its END blocks): flushes every
    /// PerlIO handle and calls <c>_exit</c>, so neither Perl's destruction nor the runtime's shutdown runs in it.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnExit(nint perl, nint sv, nint magic)
    {
        int status = (int)PlainInteger(perl, sv, 0);
        Perl_PerlIO_flush(perl, 0);
        LibC.Exit(status & 0xff);
        return 0;
    }
}
