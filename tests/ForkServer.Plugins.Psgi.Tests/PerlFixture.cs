using ForkServer.Abstractions;
using ForkServer.Plugins.Psgi.Tests.Fakes;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ForkServer.Plugins.Psgi.Tests;

/// <summary>
/// The process has one Perl interpreter, so every test shares it: <c>apps/features.psgi</c> is loaded once,
/// and the other apps are compiled into the same interpreter with the same <c>perl-arg</c>.
/// </summary>
public sealed class PerlFixture
{
    public PerlFixture()
    {
        Features = Load("features.psgi") ?? throw new InvalidOperationException("the Master phase loaded nothing");
        Handler = Features.CreateRequestHandler(new WorkerContext(1, Environment.ProcessId, Options(), Logging));
    }

    public static string AppsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "apps");

    internal RecordingLoggerFactory Logging { get; } = new();

    internal IPreloadedApplication Features { get; }

    internal IRequestHandler Handler { get; }

    internal static FakeOptions Options(params (string Name, string Value)[] more) =>
        new([("perl-arg", "-I" + Path.Combine(AppsDirectory, "lib")), .. more]);

    internal IPreloadedApplication? Load(string app, LoadPhase phase = LoadPhase.Master) =>
        new PsgiPlugin().Loader.Load(new LoadContext(phase, Options(("psgi", Path.Combine(AppsDirectory, app))), Logging));

    internal RecordingResponse Serve(FakeRequest request)
    {
        var response = new RecordingResponse();
        Handler.Handle(request, response);
        Assert.True(response.Completed || response.Aborted, "the handler returned without ending the response");
        return response;
    }
}
