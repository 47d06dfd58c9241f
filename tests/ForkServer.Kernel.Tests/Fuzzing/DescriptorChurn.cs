namespace ForkServer.Kernel.Tests.Fuzzing;

/// <summary>
/// Fuzz tests that open and close thousands of sockets run apart from the rest: other tests check that an fd
/// number they closed is no longer valid, and would see it reused by one of these.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DescriptorChurn
{
    public const string Name = "fuzzing that churns descriptors";
}
