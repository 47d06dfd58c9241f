using System.Reflection;
using System.Runtime.Loader;
using ForkServer.Plugins.DotnetPreload.Internal;

namespace ForkServer.Plugins.DotnetPreload.Tests;

public sealed class WorkerPathPrecompilerTests
{
    /// <summary>
    /// The list rots when ASP.NET Core renames what it compiles (a state machine's <c>d__28</c>) or the kernel
    /// changes: re-record it with <c>bash bench/dotnet-jit-record.sh</c>.
    /// </summary>
    [Fact]
    public void Every_recorded_method_still_resolves()
    {
        Assembly.Load("forkserver"); // loaded in every base: the adopted master's methods are over its types
        var names = new JitTypeNames(AssemblyLoadContext.Default);

        var unresolved = WorkerPathPrecompiler.RecordedEntries().Where(e => WorkerPathPrecompiler.Resolve(e, names).Count == 0).Select(e => e.Text).ToList();

        Assert.Empty(unresolved);
        Assert.True(WorkerPathPrecompiler.RecordedEntries().Count() > 100, "the list records Kestrel's start and first request");
    }

    [Fact]
    public void A_state_machine_box_over_kestrel_types_resolves_to_its_exact_instantiation()
    {
        var entry = JitMethodName.Parse(
            "System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1+AsyncStateMachineBox`1[System.Threading.Tasks.VoidTaskResult,Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.Internal.SocketConnection+<DoSend>d__28]:MoveNext()")!;

        var method = Assert.Single(WorkerPathPrecompiler.Resolve(entry, new JitTypeNames(AssemblyLoadContext.Default)));

        Assert.Equal("MoveNext", method.Name);
        Assert.Equal("<DoSend>d__28", method.DeclaringType!.GetGenericArguments()[1].Name);
    }

    [Fact]
    public void Shared_code_is_compiled_for_a_reference_type_that_meets_the_constraints()
    {
        // KestrelConnection<T> requires T : BaseConnectionContext: object would not do.
        var type = new JitTypeNames(AssemblyLoadContext.Default).Resolve("Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Infrastructure.KestrelConnection`1[System.__Canon]");

        Assert.Equal("BaseConnectionContext", type!.GetGenericArguments()[0].Name);
    }

    [Fact]
    public void A_recorded_virtual_method_is_compiled_without_running()
    {
        var entry = JitMethodName.Parse("System.Collections.Concurrent.ConcurrentDictionary`2[short,System.__Canon]:GetEnumerator()")!;
        var method = Assert.Single(WorkerPathPrecompiler.Resolve(entry, new JitTypeNames(AssemblyLoadContext.Default)));
        long before = System.Runtime.JitInfo.GetCompiledMethodCount();

        Assert.True(WorkerPathPrecompiler.Compile(method));

        Assert.True(System.Runtime.JitInfo.GetCompiledMethodCount() > before);
    }
}
