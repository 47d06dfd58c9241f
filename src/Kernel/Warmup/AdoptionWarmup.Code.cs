using ForkServer.Kernel.Adoption;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Logging;
using ForkServer.Kernel.Vassal;

namespace ForkServer.Kernel.Warmup;

internal sealed partial class AdoptionWarmup
{
    private void PrepareCode()
    {
        var plugins = configuration.Plugins.Select(p => p.GetType().Assembly).ToList();
        var prepared = CodePreparation.Prepare(plugins.Prepend(typeof(AdoptionWarmup).Assembly));
        Log.MethodsPrepared(_log, prepared.Count, prepared.Failed);

        // The events of what runs in the processes a base forks (an adopted vassal, its master, its spare worker, its
        // workers, the plugins), not the base's own nor the Emperor's. A type missing here whose events an adopted
        // process logs before its first response makes JitFreePathTests fail.
        Type[] kernel = [typeof(AdoptedVassal), typeof(SpareWorkerProcess), typeof(VassalStartup), typeof(ListenerHandOver), typeof(VassalMaster), typeof(HttpServerLoop), typeof(JitFreePath)];
        using var silent = KernelLogging.CreateSilent();
        var rehearsed = LogEventRehearsal.Run(kernel.Concat(plugins.SelectMany(a => a.GetTypes())), silent.CreateLogger("rehearsal"));
        Log.EventsRehearsed(_log, rehearsed.Count, rehearsed.Failed);
    }
}
