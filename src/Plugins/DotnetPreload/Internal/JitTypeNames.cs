using System.Reflection;
using System.Runtime.Loader;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Finds the types the JIT names in its compilation summary: <c>Namespace.Outer`1+Inner[int,System.__Canon]</c>,
/// C# keywords for primitives, no assembly. A type is looked up in the assemblies already loaded, then in the
/// assemblies its namespace suggests, loaded in the plugin's context (where the application's are found).
/// </summary>
/// <remarks>
/// <c>System.__Canon</c> stands for "any reference type": the JIT compiles one shared body for all of them. Any
/// reference type that fits the parameter's constraints gets that body compiled.
/// </remarks>
internal sealed class JitTypeNames
{
    private const string Canon = "System.__Canon";

    private static readonly Dictionary<string, Type> Keywords = new()
    {
        ["bool"] = typeof(bool), ["byte"] = typeof(byte), ["ubyte"] = typeof(byte), ["sbyte"] = typeof(sbyte),
        ["short"] = typeof(short), ["ushort"] = typeof(ushort), ["int"] = typeof(int), ["uint"] = typeof(uint),
        ["long"] = typeof(long), ["ulong"] = typeof(ulong), ["nint"] = typeof(nint), ["nuint"] = typeof(nuint),
        ["float"] = typeof(float), ["double"] = typeof(double), ["char"] = typeof(char),
    };

    private readonly AssemblyLoadContext _context;
    private readonly Dictionary<string, Type?> _definitions = new(StringComparer.Ordinal);

    public JitTypeNames(AssemblyLoadContext context) => _context = context;

    /// <summary>The type named <paramref name="name"/>, closed over its arguments; null when it cannot be found or built.</summary>
    public Type? Resolve(string name)
    {
        if (Keywords.TryGetValue(name, out var keyword))
        {
            return keyword;
        }

        if (name.EndsWith("[]", StringComparison.Ordinal))
        {
            return Resolve(name[..^2])?.MakeArrayType();
        }

        int bracket = name.IndexOf('[', StringComparison.Ordinal);
        if (bracket < 0)
        {
            return Definition(name);
        }

        var definition = Definition(name[..bracket]);
        if (definition is null || !definition.IsGenericTypeDefinition)
        {
            return null;
        }

        var arguments = Close(definition.GetGenericArguments(), JitMethodName.SplitArguments(name[(bracket + 1)..^1]));
        return arguments is null ? null : Build(() => definition.MakeGenericType(arguments));
    }

    /// <summary>
    /// The types to close <paramref name="parameters"/> with, from their JIT names (<c>System.__Canon</c> replaced
    /// by a reference type that satisfies the parameter); null when one cannot be found.
    /// </summary>
    public Type[]? Close(Type[] parameters, string[] names)
    {
        if (parameters.Length != names.Length)
        {
            return null;
        }

        var closed = new Type[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            var type = names[i] == Canon ? SharedStandIn(parameters[i]) : Resolve(names[i]);
            if (type is null)
            {
                return null;
            }

            closed[i] = type;
        }

        return closed;
    }

    /// <summary>Runs <paramref name="build"/>; null when the arguments break a constraint.</summary>
    public static T? Build<T>(Func<T> build)
        where T : class
    {
        try
        {
            return build();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static Type SharedStandIn(Type parameter)
    {
        // A base-class constraint is a reference type that satisfies it; an interface constraint too, when alone.
        var constraints = parameter.GetGenericParameterConstraints().Where(c => !c.ContainsGenericParameters).ToArray();
        return constraints.FirstOrDefault(c => !c.IsInterface && c != typeof(ValueType))
            ?? (constraints.Length == 1 && constraints[0].IsInterface ? constraints[0] : typeof(object));
    }

    private Type? Definition(string name)
    {
        if (!_definitions.TryGetValue(name, out var type))
        {
            type = FindLoaded(name) ?? FindByNamespace(name);
            _definitions[name] = type;
        }

        return type;
    }

    private static Type? FindLoaded(string name)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(name, throwOnError: false) is { } type)
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>Tries the assemblies named like the type's namespace, longest first (System.Net.Sockets.X in System.Net.Sockets).</summary>
    private Type? FindByNamespace(string name)
    {
        int nested = name.IndexOf('+', StringComparison.Ordinal);
        string outer = nested < 0 ? name : name[..nested];
        for (int dot = outer.LastIndexOf('.'); dot > 0; dot = outer.LastIndexOf('.', dot - 1))
        {
            try
            {
                if (_context.LoadFromAssemblyName(new AssemblyName(outer[..dot])).GetType(name, throwOnError: false) is { } type)
                {
                    return type;
                }
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                // No assembly of that name: try the enclosing namespace.
            }
        }

        return null;
    }
}
