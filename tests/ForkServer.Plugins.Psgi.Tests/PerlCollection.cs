namespace ForkServer.Plugins.Psgi.Tests;

/// <summary>Every test class that touches Perl belongs here, sharing one <see cref="PerlFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PerlCollection : ICollectionFixture<PerlFixture>
{
    public const string Name = "perl";
}
