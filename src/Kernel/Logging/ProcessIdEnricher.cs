using ForkServer.Kernel.Posix;
using Serilog.Core;
using Serilog.Events;

namespace ForkServer.Kernel.Logging;

/// <summary>
/// Adds the current pid to every event. It asks the kernel each time because <c>Environment.ProcessId</c> is
/// cached and would show the parent's pid in every forked process.
/// </summary>
internal sealed class ProcessIdEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        => logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Pid", ProcessCalls.GetPid()));
}
