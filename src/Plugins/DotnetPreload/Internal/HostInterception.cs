using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Watches the hosts the application builds while its <c>Main</c> runs in the base, through the events
/// Microsoft.Extensions.Hosting publishes on its <see cref="DiagnosticListener"/> (the hook
/// <c>WebApplicationFactory</c> and <c>dotnet ef</c> use), and makes each one preload-friendly before it is built.
/// </summary>
/// <remarks>
/// "HostBuilding" comes inside <c>builder.Build()</c>, after the application registered its services and before the
/// service provider exists; the changes made here are applied last, so they win. "HostBuilt" hands over the host.
/// Everything runs synchronously on the thread that runs <c>Main</c>: no thread is started to watch.
/// </remarks>
internal sealed class HostInterception : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string ListenerName = "Microsoft.Extensions.Hosting";

    private readonly ILoggerFactory _kernelLogging;
    private readonly List<IDisposable> _subscriptions = new();
    private readonly List<PreloadLifetime> _lifetimes = new();
    private PreloadLifetime? _building;

    public HostInterception(ILoggerFactory kernelLogging)
    {
        _kernelLogging = kernelLogging;
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    /// <summary>The filter each host got (one per process: only one host is ever started in a worker).</summary>
    public RequestServedStartupFilter RequestServed { get; } = new();

    /// <summary>How many hosts the application built.</summary>
    public int HostsBuilt => _lifetimes.Count(l => l.Host is not null);

    /// <summary>The lifetime of the host whose start was intercepted (the one <c>app.Run()</c> ran), or null.</summary>
    public PreloadLifetime? Started => _lifetimes.FirstOrDefault(l => l.StartIntercepted);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == ListenerName)
        {
            _subscriptions.Add(listener.Subscribe(this));
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        switch (value)
        {
            case { Key: "HostBuilding", Value: IHostBuilder builder }:
                _building = new PreloadLifetime();
                _lifetimes.Add(_building);
                var lifetime = _building;
                builder.ConfigureServices((_, services) => Adapt(services, lifetime));
                break;
            case { Key: "HostBuilt", Value: IHost host } when _building is not null:
                _building.Host = host;
                var environment = host.Services.GetRequiredService<IHostEnvironment>();
                environment.ContentRootFileProvider = new UnwindGuardFileProvider(environment.ContentRootFileProvider, _building);
                _building = null;
                break;
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
    }

    private void Adapt(IServiceCollection services, PreloadLifetime lifetime)
    {
        services.RemoveAll<IHostLifetime>();
        services.AddSingleton<IHostLifetime>(lifetime);
        WrapServer(services, lifetime);

        // The console logger starts its queue thread when the first logger is created, which Build() does.
        for (int i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (!descriptor.IsKeyedService && descriptor.ServiceType == typeof(ILoggerProvider) && descriptor.ImplementationType == typeof(ConsoleLoggerProvider))
            {
                services.RemoveAt(i);
            }
        }

        services.AddSingleton<ILoggerProvider>(new KernelLoggerProvider(_kernelLogging));

        // First registered is outermost: it sees every response complete.
        services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(RequestServed));
    }

    /// <summary>Puts the application's server (the last IServer registered) inside a <see cref="ForkAwareServer"/>.</summary>
    private static void WrapServer(IServiceCollection services, PreloadLifetime lifetime)
    {
        int index = services.Count - 1;
        while (index >= 0 && (services[index].ServiceType != typeof(IServer) || services[index].IsKeyedService))
        {
            index--;
        }

        if (index < 0)
        {
            return; // no server at all: the preloader refuses the application
        }

        var original = services[index];
        Func<IServiceProvider, IServer> inner;
        if (original.ImplementationInstance is IServer instance)
        {
            inner = _ => instance;
        }
        else if (original.ImplementationFactory is { } factory)
        {
            inner = provider => (IServer)factory(provider);
        }
        else
        {
            // Registered as itself, the server is still built by the container, with the constructor it would pick.
            var type = original.ImplementationType!;
            services.Add(ServiceDescriptor.Singleton(type, type));
            inner = provider => (IServer)provider.GetRequiredService(type);
        }

        services[index] = ServiceDescriptor.Singleton<IServer>(provider => new ForkAwareServer(inner(provider), lifetime));
    }
}
