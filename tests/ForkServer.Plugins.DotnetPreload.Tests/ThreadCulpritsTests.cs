using ForkServer.Plugins.DotnetPreload.Internal;

namespace ForkServer.Plugins.DotnetPreload.Tests;

public sealed class ThreadCulpritsTests
{
    [Theory]
    [InlineData(".NET TP Worker", "the thread pool")]
    [InlineData(".NET TP Gate", "the thread pool")]
    [InlineData(".NET Timer", "a timer")]
    [InlineData(".NET Long Runni", "a long-running task")]
    [InlineData(".NET SigHandler", "Console or PosixSignalRegistration")]
    [InlineData("Console logger ", "console logging")]
    [InlineData(".NET Sockets", "asynchronous sockets")]
    public void Runtime_threads_are_named_by_what_starts_them(string comm, string culprit)
        => Assert.StartsWith(culprit, ThreadCulprits.Describe(comm, "forkserver"));

    [Fact]
    public void A_named_thread_of_the_app_is_quoted()
        => Assert.Equal("a thread the application started (named 'index-refresher')", ThreadCulprits.Describe("index-refresher", "forkserver"));

    [Fact]
    public void An_unnamed_thread_carries_the_process_name()
        => Assert.StartsWith("an unnamed thread the application started", ThreadCulprits.Describe("forkserver", "forkserver"));
}
