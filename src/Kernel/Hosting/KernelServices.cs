using ForkServer.Abstractions;
using ForkServer.Kernel.Adoption;
using ForkServer.Kernel.Emperor;
using ForkServer.Kernel.Vassal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Hosting;

/// <summary>Composes the services of one ForkServer process.</summary>
internal static class KernelServices
{
    /// <summary>Registers the configuration, logging, the vassal runtime and the Emperor.</summary>
    public static ServiceProvider Build(KernelConfiguration configuration, ILoggerFactory logging, VassalLaunch launch)
    {
        var services = new ServiceCollection();
        services.AddSingleton(launch);
        services.AddSingleton(logging);
        services.AddSingleton(configuration);
        services.AddSingleton(configuration.Options);
        services.AddSingleton(configuration.Plugins);
        services.AddSingleton(sp => VassalSettings.From(sp.GetRequiredService<IOptionValues>()));
        services.AddSingleton(sp => EmperorSettings.From(sp.GetRequiredService<IOptionValues>()));
        services.AddSingleton<EmperorSupervisor>();
        services.AddSingleton<ApplicationLoader>();
        services.AddSingleton<VassalStartup>();
        services.AddSingleton<ForkServerBase>();

        // Validation on build keeps a registration mistake from surfacing after the first fork.
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
