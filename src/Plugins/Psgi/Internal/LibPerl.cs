using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>
/// The libperl 5.36 entry points the plugin uses. Perl is built thread-multi (MULTIPLICITY), so every
/// <c>Perl_*</c> function takes the interpreter first. No interpreter struct offsets and no <c>PL_</c>
/// variables are touched: everything else goes through the glue module's package scalars.
/// </summary>
internal static unsafe partial class LibPerl
{
    public const string LibraryName = "libperl.so.5.36";

    public const int GVoid = 1;
    public const int GDiscard = 0x4;
    public const int GEval = 0x8;
    public const int GvAdd = 0x01;
    public const uint SvGMagic = 2;
    public const int MagicExt = '~';

    [LibraryImport(LibraryName)]
    public static partial void Perl_sys_init3(int* argc, byte*** argv, byte*** env);

    [LibraryImport(LibraryName)]
    public static partial nint perl_alloc();

    [LibraryImport(LibraryName)]
    public static partial void perl_construct(nint interpreter);

    [LibraryImport(LibraryName)]
    public static partial int perl_parse(nint interpreter, nint xsInit, int argc, byte** argv, byte** env);

    [LibraryImport(LibraryName)]
    public static partial int perl_run(nint interpreter);

    [LibraryImport(LibraryName)]
    public static partial void Perl_set_context(nint interpreter);

    [LibraryImport(LibraryName)]
    public static partial nint Perl_newXS(nint interpreter, byte* name, nint function, byte* fileName);

    [LibraryImport(LibraryName)]
    public static partial nint Perl_get_sv(nint interpreter, byte* name, int flags);

    /// <summary>
    /// The only safe way to call Perl from here: it pushes the mark itself. Pass an empty argv; arguments
    /// created at top level are never freed. (<c>call_sv</c> needs the caller's PUSHMARK and corrupts the heap.)
    /// </summary>
    [LibraryImport(LibraryName)]
    public static partial int Perl_call_argv(nint interpreter, byte* subName, int flags, byte** argv);

    [LibraryImport(LibraryName)]
    public static partial nint Perl_sv_magicext(nint interpreter, nint sv, nint obj, int how, nint vtable, byte* name, int nameLength);

    [LibraryImport(LibraryName)]
    public static partial int Perl_PerlIO_flush(nint interpreter, nint perlIo);

    [LibraryImport(LibraryName)]
    public static partial int Perl_sv_true(nint interpreter, nint sv);

    /// <summary>May run get-magic or overloading, so it keeps the GC transition.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* Perl_sv_2pv_flags(nint interpreter, nint sv, nuint* length, uint flags);

    // The functions below are leaves on the glue's own plain scalars: no magic runs, nothing calls back into
    // managed code, nothing croaks; so the GC transition can be skipped on the per-request path.

    [LibraryImport(LibraryName), SuppressGCTransition]
    public static partial void Perl_sv_setpvn(nint interpreter, nint sv, byte* bytes, nuint length);

    [LibraryImport(LibraryName), SuppressGCTransition]
    public static partial void Perl_sv_setiv(nint interpreter, nint sv, nint value);

    [LibraryImport(LibraryName, EntryPoint = "Perl_sv_2pv_flags"), SuppressGCTransition]
    public static partial byte* PlainStringBytes(nint interpreter, nint sv, nuint* length, uint flags);

    [LibraryImport(LibraryName, EntryPoint = "Perl_sv_2iv_flags"), SuppressGCTransition]
    public static partial nint PlainInteger(nint interpreter, nint sv, int flags);
}
