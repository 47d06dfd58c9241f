using System.Reflection;
using ForkServer.Abstractions;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>Runs an application's <c>Main</c> on the calling thread, as <c>dotnet App.dll args</c> would.</summary>
internal static class EntryPoint
{
    /// <summary>
    /// Calls <c>Main</c>; returns normally when it returned or was unwound by <see cref="PreloadCompletedException"/>.
    /// </summary>
    /// <exception cref="ApplicationLoadException">It has no entry point, or <c>Main</c> threw.</exception>
    public static void Run(Assembly assembly, IReadOnlyList<string> args, string application)
    {
        // An async Main is compiled into a synchronous entry point that waits for it: this is always that one.
        var main = assembly.EntryPoint
            ?? throw new ApplicationLoadException($"cannot preload .NET application {application}: it has no entry point (Main); is it a class library?");
        object?[]? parameters = main.GetParameters().Length == 0 ? null : [args.ToArray()];
        try
        {
            main.Invoke(null, parameters);
        }
        catch (TargetInvocationException e) when (e.InnerException is PreloadCompletedException)
        {
            // Unwound at app.Run(): the host is built, neither started nor disposed.
        }
        catch (TargetInvocationException e)
        {
            var cause = e.InnerException ?? e;
            throw new ApplicationLoadException($"cannot preload .NET application {application}: Main threw {cause.GetType().Name}: {cause.Message}", cause);
        }
    }
}
