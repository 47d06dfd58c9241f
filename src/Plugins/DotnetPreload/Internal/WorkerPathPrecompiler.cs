using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Compiles in the base what a worker would otherwise compile while Kestrel starts and serves its first request:
/// generic instantiations the framework's ReadyToRun images cannot hold (async state machines over Kestrel's value
/// types, <c>ConcurrentQueue</c> of its work items, pipelines' <c>ValueTask</c>s), each compiled fully optimised
/// because forking processes run with tiered compilation off. The list (<c>WorkerMethods.txt</c>) was recorded
/// from a real adopted worker by <c>bench/dotnet-jit-record.sh</c>.
/// </summary>
/// <remarks>
/// Only compiled, never run: no static constructor, no thread. What no longer resolves (another ASP.NET Core
/// version renamed a state machine) is skipped: the worker compiles it, as before.
/// </remarks>
internal static class WorkerPathPrecompiler
{
    private const string ResourceName = "ForkServer.Plugins.DotnetPreload.WorkerMethods.txt";

    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    /// <summary>Compiles every recorded method that resolves; returns how many were compiled and the entries that did not resolve.</summary>
    public static (int Compiled, IReadOnlyList<string> Unresolved) CompileRecorded()
    {
        var names = new JitTypeNames(AssemblyLoadContext.GetLoadContext(typeof(WorkerPathPrecompiler).Assembly) ?? AssemblyLoadContext.Default);
        int compiled = 0;
        var unresolved = new List<string>();
        foreach (var entry in RecordedEntries())
        {
            var methods = Resolve(entry, names);
            if (methods.Count == 0)
            {
                unresolved.Add(entry.Text);
                continue;
            }

            compiled += methods.Count(Compile);
        }

        return (compiled, unresolved);
    }

    /// <summary>JIT-compiles <paramref name="method"/> without running it; false when it cannot be compiled ahead.</summary>
    public static bool Compile(MethodBase method)
    {
        try
        {
            // The runtime gives a method its entry point only when something first asks for it, and until then
            // PrepareMethod takes it for compiled and does nothing: virtual methods of generic types (a state
            // machine box's MoveNext) were left to the workers. Asking for the pointer compiles and runs nothing.
            _ = method.MethodHandle.GetFunctionPointer();
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
            return true;
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException or BadImageFormatException or InvalidProgramException or ArgumentException or MissingMethodException)
        {
            return false; // the worker compiles it when it calls it, as it would have anyway
        }
    }

    /// <summary>The recorded entries: one JIT method name a line; blank lines and <c>#</c> comments left out.</summary>
    public static IEnumerable<JitMethodName> RecordedEntries()
    {
        using var stream = typeof(WorkerPathPrecompiler).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the plugin");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#') && JitMethodName.Parse(line) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary>The methods <paramref name="entry"/> names, closed over its arguments (every overload that fits).</summary>
    public static IReadOnlyList<MethodBase> Resolve(JitMethodName entry, JitTypeNames names)
    {
        var type = names.Resolve(entry.DeclaringType);
        if (type is null || type.ContainsGenericParameters)
        {
            return [];
        }

        if (entry.Name == ".cctor")
        {
            return type.TypeInitializer is { } initializer ? [initializer] : [];
        }

        var candidates = entry.Name == ".ctor"
            ? type.GetConstructors(Declared).Cast<MethodBase>()
            : type.GetMethods(Declared).Where(m => m.Name == entry.Name);
        var methods = new List<MethodBase>();
        foreach (var candidate in candidates)
        {
            if (candidate.IsAbstract || candidate.GetParameters().Length != entry.ParameterCount)
            {
                continue;
            }

            if (entry.MethodArguments.Count == 0 && !candidate.IsGenericMethodDefinition)
            {
                methods.Add(candidate);
            }
            else if (candidate is MethodInfo { IsGenericMethodDefinition: true } generic
                && names.Close(generic.GetGenericArguments(), [.. entry.MethodArguments]) is { } arguments
                && JitTypeNames.Build(() => generic.MakeGenericMethod(arguments)) is { } closed)
            {
                methods.Add(closed);
            }
        }

        return methods;
    }
}
