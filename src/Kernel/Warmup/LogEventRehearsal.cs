using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Warmup;

/// <summary>
/// Logs every source-generated event (<c>[LoggerMessage]</c>) of some types once, into a logger that writes nowhere,
/// before a process forks, so that its children do not compile the code behind those log lines.
/// </summary>
/// <remarks>
/// The event methods themselves are compiled ahead of time, but the code they call is generic over the types of
/// their arguments (<c>LoggerMessage.Define&lt;int, string&gt;</c>, the logger's <c>Log&lt;TState&gt;</c>), and an
/// instantiation over a value type is compiled on its first use, in whichever process logs first
/// (<see cref="JitFreePath"/>). Here each event is logged with default arguments through a pipeline with the real
/// one's level and enrichment and no sink (<see cref="Logging.KernelLogging.CreateSilent"/>). About ten methods
/// are compiled per new combination of argument types, so the base rehearses only what its children log.
/// </remarks>
internal static class LogEventRehearsal
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Logs each event declared in <paramref name="types"/> or the types nested in them once to <paramref name="silent"/>.</summary>
    /// <returns>How many events were logged, and how many failed to be.</returns>
    public static (int Count, int Failed) Run(IEnumerable<Type> types, ILogger silent)
    {
        int count = 0, failed = 0;
        foreach (var type in types.SelectMany(WithNested).Distinct().Where(t => !t.ContainsGenericParameters))
        {
            foreach (var method in type.GetMethods(Declared))
            {
                if (method.ContainsGenericParameters || !method.IsDefined(typeof(LoggerMessageAttribute), inherit: false))
                {
                    continue;
                }

                try
                {
                    method.Invoke(null, Arguments(method, silent));
                    count++;
                }
                catch (Exception e) when (e is TargetInvocationException or ArgumentException or TargetParameterCountException)
                {
                    failed++;
                }
            }
        }

        return (count, failed);
    }

    private static IEnumerable<Type> WithNested(Type type)
        => type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(WithNested).Prepend(type);

    // The logger, then the default of every other parameter: null for a string or an exception, 0 for a number.
    private static object?[] Arguments(MethodInfo method, ILogger silent)
    {
        var parameters = method.GetParameters();
        var arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var type = parameters[i].ParameterType;
            arguments[i] = type == typeof(ILogger) ? silent : type.IsValueType ? Activator.CreateInstance(type) : null;
        }

        return arguments;
    }
}
