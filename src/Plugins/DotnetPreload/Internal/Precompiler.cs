using System.Reflection;
using System.Runtime.CompilerServices;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Compiles the application's own code in the base. The fork recipe turns tiered compilation off, so every method
/// is compiled, fully optimised, on its first call; compiled here, the code is inherited by every worker instead of
/// being compiled again in each, on its first requests.
/// </summary>
internal static class Precompiler
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    /// <summary>Compiles every non-generic method with a body in <paramref name="assemblies"/>; returns how many.</summary>
    public static int CompileAll(IEnumerable<Assembly> assemblies)
    {
        int compiled = 0;
        foreach (var type in assemblies.Distinct().SelectMany(LoadableTypes).Where(t => !t.ContainsGenericParameters))
        {
            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                if (method.IsAbstract || method.ContainsGenericParameters || method.GetMethodBody() is null)
                {
                    continue;
                }

                try
                {
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
                    compiled++;
                }
                catch (Exception e) when (e is TypeLoadException or FileNotFoundException or BadImageFormatException or InvalidProgramException or ArgumentException or MissingMethodException)
                {
                    // A method that cannot compile now will fail, or not, when called: not the preload's business.
                }
            }
        }

        return compiled;
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
