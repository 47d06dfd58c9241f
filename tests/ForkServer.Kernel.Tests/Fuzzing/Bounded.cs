using System.Runtime.ExceptionServices;

namespace ForkServer.Kernel.Tests.Fuzzing;

/// <summary>
/// Runs a whole property on its own thread with a wall-clock bound: a decoder that loops for ever fails the test
/// (naming the property) instead of hanging the suite. A hung thread is left behind as a background thread.
/// </summary>
internal static class Bounded
{
    /// <summary>Generous for a few thousand samples on a loaded 2-core machine; a hang is infinitely longer.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(60);

    public static void Run(string property, Action body, TimeSpan? limit = null)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        { IsBackground = true, Name = "fuzz " + property };
        thread.Start();
        if (!thread.Join(limit ?? DefaultLimit))
        {
            Assert.Fail($"{property}: did not finish within {(limit ?? DefaultLimit).TotalSeconds} s (a decoder hangs?)");
        }

        failure?.Throw();
    }
}
