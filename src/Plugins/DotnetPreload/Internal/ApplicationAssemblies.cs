using System.Reflection;
using System.Runtime.Loader;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Makes the application's assemblies, and the shared frameworks it was built for, resolvable in the plugin's own
/// load context, so that the application and the plugin see the same ASP.NET Core types.
/// </summary>
/// <remarks>
/// The plugin's load context (McMaster.NETCore.Plugins, shared types preferred) asks the default context first, so
/// whatever the kernel already carries (Microsoft.Extensions.Logging.Abstractions, DependencyInjection, Options)
/// is shared with the kernel; what neither has (ASP.NET Core, Hosting, the application and its own packages) reaches
/// <see cref="AssemblyLoadContext.Resolving"/> here and is loaded from the application's folder (per its
/// <c>.deps.json</c>) or the shared framework, in that order.
/// </remarks>
internal sealed class ApplicationAssemblies
{
    private readonly ApplicationFiles _files;
    private readonly AssemblyDependencyResolver _resolver;
    private readonly AssemblyLoadContext _context;
    private readonly List<Assembly> _ownAssemblies = new();

    private ApplicationAssemblies(ApplicationFiles files)
    {
        _files = files;
        _resolver = new AssemblyDependencyResolver(files.MainAssembly);
        _context = AssemblyLoadContext.GetLoadContext(typeof(ApplicationAssemblies).Assembly) ?? AssemblyLoadContext.Default;
    }

    /// <summary>The assemblies loaded from the application's own folder so far (the main one first).</summary>
    public IReadOnlyList<Assembly> OwnAssemblies => _ownAssemblies;

    /// <summary>Hooks resolution into the plugin's load context. Call before any ASP.NET Core type is touched.</summary>
    public static ApplicationAssemblies Install(ApplicationFiles files)
    {
        var assemblies = new ApplicationAssemblies(files);
        assemblies._context.Resolving += assemblies.Resolve;
        assemblies._context.ResolvingUnmanagedDll += assemblies.ResolveNative;
        return assemblies;
    }

    /// <summary>Loads the application's main assembly.</summary>
    public Assembly LoadMain()
    {
        var main = _context.LoadFromAssemblyPath(_files.MainAssembly);
        _ownAssemblies.Insert(0, main);
        return main;
    }

    private Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (_resolver.ResolveAssemblyToPath(name) is { } local)
        {
            var assembly = context.LoadFromAssemblyPath(local);
            _ownAssemblies.Add(assembly);
            return assembly;
        }

        foreach (string folder in _files.FrameworkDirectories)
        {
            string candidate = Path.Combine(folder, name.Name + ".dll");
            if (File.Exists(candidate))
            {
                return context.LoadFromAssemblyPath(candidate);
            }
        }

        return null;
    }

    private IntPtr ResolveNative(Assembly requester, string libraryName)
        => _resolver.ResolveUnmanagedDllToPath(libraryName) is { } path ? System.Runtime.InteropServices.NativeLibrary.Load(path) : IntPtr.Zero;
}
