using System.Reflection;
using System.Runtime.CompilerServices;

namespace ForkServer.Kernel.Warmup;

/// <summary>
/// Makes every method of some assemblies ready to run before a process forks, so that its children never do it.
/// </summary>
/// <remarks>
/// The first call of a method goes through the runtime's prestub: it finds the method's ReadyToRun code (or compiles
/// it, tiered compilation being off) and resolves the types, methods and fields that code refers to. In the base,
/// a method its rehearsals never reach pays that in each adopted child instead, and one first call on the adoption
/// path measured 0.4 ms. Preparing them all takes the base about 15 ms for the kernel and the PSGI plugin; the
/// prepared code is shared copy-on-write. Generic methods and methods of generic types are left out: their
/// instantiations are only known from the callers.
/// </remarks>
internal static class CodePreparation
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Prepares every non-generic method and constructor with a body in <paramref name="assemblies"/>.</summary>
    /// <returns>How many were prepared, and how many failed to (a type the method refers to cannot be loaded).</returns>
    public static (int Count, int Failed) Prepare(IEnumerable<Assembly> assemblies)
    {
        int count = 0, failed = 0;
        foreach (var type in assemblies.Distinct().SelectMany(a => a.GetTypes()).Where(t => !t.ContainsGenericParameters))
        {
            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                if (method.IsAbstract || method.ContainsGenericParameters || (method.MethodImplementationFlags & MethodImplAttributes.InternalCall) != 0)
                {
                    continue;
                }

                try
                {
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
                    count++;
                }
                catch (Exception e) when (e is TypeLoadException or FileNotFoundException or BadImageFormatException or MissingMethodException or InvalidProgramException or ArgumentException)
                {
                    failed++;
                }
            }
        }

        return (count, failed);
    }
}
