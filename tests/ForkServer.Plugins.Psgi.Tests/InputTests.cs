using ForkServer.Plugins.Psgi.Tests.Fakes;

namespace ForkServer.Plugins.Psgi.Tests;

[Collection(PerlCollection.Name)]
public sealed class InputTests(PerlFixture perl)
{
    [Fact]
    public void The_body_arrives_byte_for_byte()
    {
        byte[] body = [.. Enumerable.Range(0, 4 * 256).Select(i => (byte)i)];

        RecordingResponse response = perl.Serve(FakeRequest.For("echo") with { Method = "POST", Body = body });

        Assert.Equal(body, response.Body);
    }

    [Fact]
    public void A_large_random_body_arrives_intact()
    {
        byte[] body = new byte[1_000_003];
        new Random(7).NextBytes(body);

        RecordingResponse response = perl.Serve(FakeRequest.For("echo") with { Method = "POST", Body = body });

        Assert.Equal(body, response.Body);
    }

    [Fact]
    public void The_input_can_seek_back()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("seek") with { Method = "POST", Body = "abcdefgh"u8.ToArray() });

        Assert.Equal("abcd|abcdefgh", response.BodyText);
    }

    [Fact]
    public void An_empty_body_reads_as_empty_every_time()
    {
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("|", perl.Serve(FakeRequest.For("seek")).BodyText);
        }
    }
}
