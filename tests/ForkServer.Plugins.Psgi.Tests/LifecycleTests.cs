using ForkServer.Abstractions;
using ForkServer.Plugins.Psgi.Tests.Fakes;

namespace ForkServer.Plugins.Psgi.Tests;

[Collection(PerlCollection.Name)]
public sealed class LifecycleTests(PerlFixture perl)
{
    [Fact]
    public void Shutdown_runs_END_blocks_once()
    {
        IPreloadedApplication app = perl.Load("end_block.psgi")!;

        app.Shutdown();
        app.Shutdown();

        Assert.Single(perl.Logging.Events, e => e.Message == "END block ran");
    }

    [Fact]
    public void The_fork_hooks_leave_the_interpreter_serving()
    {
        perl.Features.PrepareForFork();
        perl.Features.AfterFork(new ForkedProcessContext(ForkedProcessRole.Worker, Environment.ProcessId, 1));

        Assert.Equal(200, perl.Serve(FakeRequest.For("hello")).Status);
    }
}
