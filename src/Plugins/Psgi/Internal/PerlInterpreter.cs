using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using static ForkServer.Plugins.Psgi.Internal.LibPerl;

namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>
/// The process's one Perl interpreter, running the glue module; every PSGI application of the process is
/// compiled into it. libperl keeps process-wide state, so a second interpreter is never constructed: the
/// first caller's arguments (<c>-I</c> and the like) decide, and a later caller asking for other arguments
/// gets an error instead of a silently different set-up.
/// </summary>
/// <remarks>
/// Used by one thread at a time; every entry takes the lock and binds the interpreter to the calling thread
/// (XS code finds its interpreter through thread-local storage).
/// </remarks>
internal sealed unsafe partial class PerlInterpreter
{
    private static readonly Lock s_startLock = new();
    private static PerlInterpreter? s_instance;
    private static nint s_libperl;

    private static readonly byte* s_handle = CString.Allocate("ForkServer::Psgi::handle");
    private static readonly byte* s_loadApp = CString.Allocate("ForkServer::Psgi::load_app");
    private static readonly byte* s_preFork = CString.Allocate("ForkServer::Psgi::pre_fork");
    private static readonly byte* s_postFork = CString.Allocate("ForkServer::Psgi::post_fork");
    private static readonly byte* s_runEndBlocks = CString.Allocate("ForkServer::Psgi::run_end_blocks");
    private static readonly byte* s_enterWorker = CString.Allocate("ForkServer::Psgi::enter_worker");
    private static readonly byte** s_emptyArgv = (byte**)NativeMemory.AllocZeroed(1, (nuint)sizeof(nint));
    private static readonly byte* s_emptyBytes = (byte*)NativeMemory.AllocZeroed(1);

    private readonly nint _perl;
    private readonly Lock _lock = new();
    private readonly string[] _arguments;

    // Looked up here, in the process that loads the application: a static initializer would run (and be compiled) in
    // each forked process at its first AfterFork.
    private readonly nint _environ = LibC.EnvironAddress();

    private PerlInterpreter(IReadOnlyList<string> arguments)
    {
        _arguments = [.. arguments];
        _perl = perl_alloc();
        perl_construct(_perl);
        Output = new PerlOutput(this);

        string[] argv = ["forkserver", .. arguments, "-e", GlueModule.ReadSource()];
        // perl keeps pointers into argv ($0, PL_origargv) for its lifetime: never freed.
        byte** nativeArgv = (byte**)NativeMemory.AllocZeroed((nuint)argv.Length + 1, (nuint)sizeof(nint));
        for (int i = 0; i < argv.Length; i++)
        {
            nativeArgv[i] = CString.Allocate(argv[i]);
        }

        var xsInit = (nint)(delegate* unmanaged[Cdecl]<nint, void>)&RegisterDynaLoader;
        int status = perl_parse(_perl, xsInit, argv.Length, nativeArgv, null);
        if (status != 0)
        {
            throw new PerlException($"perl_parse failed with status {status} (bad perl-arg, or the glue module does not compile; perl printed the reason to stderr)");
        }

        status = perl_run(_perl);
        if (status != 0)
        {
            throw new PerlException($"perl_run of the glue module failed with status {status}");
        }

        Variables = new GlueVariables(LookUpScalar);
        PerlCallbacks.Attach(_perl, Variables, Output);
    }

    /// <summary>Where Perl's output goes while a caller is inside the interpreter.</summary>
    public PerlOutput Output { get; }

    internal GlueVariables Variables { get; }

    /// <summary>Returns the process's interpreter, starting it (and loading libperl) on first use.</summary>
    /// <param name="arguments">Extra interpreter arguments such as <c>-I/srv/lib</c>.</param>
    public static PerlInterpreter Obtain(IReadOnlyList<string> arguments)
    {
        lock (s_startLock)
        {
            if (s_instance is null)
            {
                LoadLibPerl();
                s_instance = new PerlInterpreter(arguments);
            }
            else if (!s_instance._arguments.SequenceEqual(arguments))
            {
                throw new PerlException(
                    $"the Perl interpreter of this process was started with arguments [{string.Join(" ", s_instance._arguments)}]; "
                    + $"it cannot be restarted with [{string.Join(" ", arguments)}]");
            }

            return s_instance;
        }
    }

    /// <summary>Takes the interpreter for the calling thread until the returned scope is disposed.</summary>
    public Lock.Scope Enter()
    {
        Lock.Scope scope = _lock.EnterScope();
        Perl_set_context(_perl);
        return scope;
    }

    private static void LoadLibPerl()
    {
        // RTLD_GLOBAL: Debian's XS modules (POSIX.so, JSON/XS.so) are not linked against libperl and resolve
        // Perl_* through the global namespace.
        byte* name = CString.Allocate(LibraryName);
        if (LibC.DlOpen(name, LibC.RtldNow | LibC.RtldGlobal) == 0)
        {
            throw new PerlException($"cannot load {LibraryName}: {Marshal.PtrToStringUTF8((nint)LibC.DlError())}");
        }

        s_libperl = NativeLibrary.Load(LibraryName);
        int argc = 1;
        byte** argv = (byte**)NativeMemory.AllocZeroed(2, (nuint)sizeof(nint));
        argv[0] = name;
        byte** env = (byte**)NativeMemory.AllocZeroed(1, (nuint)sizeof(nint));
        Perl_sys_init3(&argc, &argv, &env);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void RegisterDynaLoader(nint perl)
    {
        // What perlembed's xs_init does: without DynaLoader no XS module can load.
        nint boot = NativeLibrary.GetExport(s_libperl, "boot_DynaLoader");
        Perl_newXS(perl, CString.Allocate("DynaLoader::boot_DynaLoader"), boot, CString.Allocate(nameof(PerlInterpreter)));
    }

    private nint LookUpScalar(string name)
    {
        byte* native = CString.Allocate(name);
        nint sv = Perl_get_sv(_perl, native, GvAdd);
        NativeMemory.Free(native);
        return sv;
    }

    /// <summary>Calls an argument-less glue sub; returns Perl's error text when it died, else null.</summary>
    private string? CallGlue(byte* subName)
    {
        Perl_call_argv(_perl, subName, GVoid | GDiscard | GEval, s_emptyArgv);
        return Perl_sv_true(_perl, Variables.EvalError) != 0 ? ReadText(Variables.EvalError) : null;
    }

    private void SetBytes(nint sv, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* pointer = bytes)
        {
            Perl_sv_setpvn(_perl, sv, pointer == null ? s_emptyBytes : pointer, (nuint)bytes.Length);
        }
    }

    private void SetInteger(nint sv, long value) => Perl_sv_setiv(_perl, sv, (nint)value);

    private long ReadInteger(nint sv) => PlainInteger(_perl, sv, 0);

    /// <summary>The bytes of one of the glue's plain scalars; valid until Perl changes that scalar.</summary>
    internal ReadOnlySpan<byte> ReadBytes(nint sv)
    {
        nuint length;
        byte* bytes = PlainStringBytes(_perl, sv, &length, 0);
        return new ReadOnlySpan<byte>(bytes, checked((int)length));
    }

    private string ReadText(nint sv)
    {
        nuint length;
        byte* bytes = Perl_sv_2pv_flags(_perl, sv, &length, SvGMagic);
        return Encoding.UTF8.GetString(bytes, checked((int)length));
    }
}
