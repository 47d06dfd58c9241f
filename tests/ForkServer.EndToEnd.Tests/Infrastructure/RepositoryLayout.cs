namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>Where the built binary, the test apps and the samples are.</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The <c>forkserver</c> executable the solution build lays out under <c>artifacts/</c>.</summary>
    public static string ForkServerBinary => Path.Combine(Root, "artifacts", "forkserver", "forkserver");

    /// <summary>
    /// Whether the laid-out kernel is the shipped build, compiled ahead of time (ReadyToRun, by
    /// scripts/build-release.sh, which scripts/test.sh runs), rather than the plain solution build.
    /// </summary>
    public static bool IsReadyToRun
    {
        get
        {
            using var reader = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(ForkServerBinary + ".dll"));
            return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        }
    }

    /// <summary>The PSGI apps used by these tests (copied beside the test assembly).</summary>
    public static string App(string name) => Path.Combine(AppContext.BaseDirectory, "apps", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ForkServer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ForkServer.sln not found above " + AppContext.BaseDirectory);
    }
}
