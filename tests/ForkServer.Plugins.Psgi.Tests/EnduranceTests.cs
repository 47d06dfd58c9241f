using System.Diagnostics;
using ForkServer.Abstractions;
using ForkServer.Plugins.Psgi.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ForkServer.Plugins.Psgi.Tests;

[Collection(PerlCollection.Name)]
public sealed class EnduranceTests(PerlFixture perl, ITestOutputHelper output)
{
    private const int Requests = 20_000;

    // Asserted on the third round, outside the managed heap: earlier rounds showed one-off steps of up to
    // 4 MB (allocator arenas), never repeated. A leak of 100 bytes per request would exceed it.
    private const long AllowedGrowthKiB = 2 * 1024;

    [Theory]
    [InlineData("hello")]
    [InlineData("echo")]
    [InlineData("streaming")]
    [InlineData("filehandle")]
    [InlineData("die")]
    public void Many_requests_do_not_grow_memory(string action)
    {
        // The recording logger would keep every logged die; this measures the plugin alone.
        IRequestHandler handler = perl.Features.CreateRequestHandler(
            new WorkerContext(2, Environment.ProcessId, PerlFixture.Options(), NullLoggerFactory.Instance));
        FakeRequest request = action == "echo" ? FakeRequest.For(action) with { Method = "POST", Body = new byte[2048] } : FakeRequest.For(action);
        Serve(handler, request, Requests);
        long before = ResidentKiB();

        var clock = Stopwatch.StartNew();
        Serve(handler, request, Requests);
        clock.Stop();
        long middle = ResidentKiB();
        Serve(handler, request, Requests);
        long after = ResidentKiB();

        output.WriteLine($"{action}: {clock.Elapsed.TotalMicroseconds / Requests:F2} µs per request; unmanaged RSS after 20k warm-up {before} KiB, "
            + $"+20k {middle} KiB, +40k {after} KiB (last round {after - middle:+0;-0} KiB)");
        Assert.True(after - middle < AllowedGrowthKiB, $"unmanaged RSS grew by {after - middle} KiB over {Requests} requests");
    }

    private static void Serve(IRequestHandler handler, FakeRequest request, int count)
    {
        for (int i = 0; i < count; i++)
        {
            handler.Handle(request, new RecordingResponse());
        }
    }

    /// <summary>
    /// Resident memory outside the managed heap: Perl's and malloc's. The GC keeps freed segments committed for
    /// a while, which swung plain RSS by up to 10 MB between identical runs.
    /// </summary>
    private static long ResidentKiB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        long resident = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return resident - GC.GetGCMemoryInfo().TotalCommittedBytes / 1024;
    }
}
