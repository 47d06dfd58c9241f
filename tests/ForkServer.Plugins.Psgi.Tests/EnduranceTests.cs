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
    private const int MeasuredRounds = 3;

    // Outside the managed heap, one round of 20k requests at a time. Allocator arenas grow in one-off steps of up
    // to 4 MB (seen in any round, on a busy machine even the third), never twice in a row; a leak grows every
    // round, so the smallest growth of three rounds is what is asserted. A leak of 100 bytes per request would
    // exceed it.
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
        long previous = ResidentKiB();
        var growths = new long[MeasuredRounds];
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < MeasuredRounds; round++)
        {
            Serve(handler, request, Requests);
            long now = ResidentKiB();
            growths[round] = now - previous;
            previous = now;
        }

        clock.Stop();
        long smallest = growths.Min();
        output.WriteLine($"{action}: {clock.Elapsed.TotalMicroseconds / (Requests * MeasuredRounds):F2} µs per request; unmanaged RSS growth per "
            + $"{Requests} requests after a warm-up round: {string.Join(", ", growths.Select(g => $"{g:+0;-0} KiB"))}");
        Assert.True(smallest < AllowedGrowthKiB, $"unmanaged RSS grew by at least {smallest} KiB in each of {MeasuredRounds} rounds of {Requests} requests");
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
