using System.Reflection;
using ForkServer.Abstractions;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>Finds and runs the application's <see cref="IPreloadHook"/> classes, in name order.</summary>
internal static class PreloadHooks
{
    /// <summary>Runs every hook of <paramref name="assembly"/>; returns how many ran.</summary>
    /// <exception cref="ApplicationLoadException">A hook cannot be created or threw.</exception>
    public static int RunAll(Assembly assembly, IServiceProvider services, string application)
    {
        var hooks = assembly.GetExportedTypes()
            .Where(t => typeof(IPreloadHook).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        foreach (var type in hooks)
        {
            try
            {
                ((IPreloadHook)Activator.CreateInstance(type)!).Preload(services);
            }
            catch (Exception e)
            {
                var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                throw new ApplicationLoadException(
                    $"cannot preload .NET application {application}: preload hook {type.FullName} threw {cause.GetType().Name}: {cause.Message}", cause);
            }
        }

        return hooks.Count;
    }
}
