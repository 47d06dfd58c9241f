using System.Text;
using ForkServer.Plugins.Psgi.Tests.Fakes;

namespace ForkServer.Plugins.Psgi.Tests;

[Collection(PerlCollection.Name)]
public sealed class ResponseTests(PerlFixture perl)
{
    private static readonly byte[] s_allBytes = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];

    [Fact]
    public void Hello_world()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("hello"));

        Assert.Equal(200, response.Status);
        Assert.Equal("text/plain", response.Header("Content-Type"));
        Assert.Equal("11", response.Header("Content-Length"));
        Assert.Equal("Hello World", response.BodyText);
        Assert.True(response.Completed);
    }

    [Fact]
    public void Every_byte_value_reaches_the_client()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("binary"));

        Assert.Equal(s_allBytes, response.Body);
    }

    [Fact]
    public void An_array_body_is_joined()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("array"));

        Assert.Equal("array", response.Header("X-Kind"));
        Assert.Equal("one two three", response.BodyText);
        Assert.Equal("13", response.Header("Content-Length"));
    }

    [Fact]
    public void A_filehandle_body_is_streamed_binary_safe()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("filehandle"));

        Assert.Equal(200, response.Status);
        Assert.Equal([.. s_allBytes, .. "\nsecond line\n"u8.ToArray()], response.Body);
        Assert.True(response.Completed);
    }

    [Fact]
    public void An_object_body_is_read_with_getline_and_closed()
    {
        int closedBefore = int.Parse(perl.Serve(FakeRequest.For("object_closed")).BodyText);

        RecordingResponse response = perl.Serve(FakeRequest.For("object"));

        Assert.Equal("object", response.Header("X-Kind"));
        Assert.Equal("a\nb\nc", response.BodyText);
        Assert.Equal((closedBefore + 1).ToString(), perl.Serve(FakeRequest.For("object_closed")).BodyText);
    }

    [Fact]
    public void A_delayed_response_is_sent()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("delayed"));

        Assert.Equal(201, response.Status);
        Assert.Equal("delayed", response.Header("X-Kind"));
        Assert.Equal("delayed body", response.BodyText);
        Assert.True(response.Completed);
    }

    [Fact]
    public void A_streaming_writer_sends_each_write()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("streaming"));

        Assert.Equal(200, response.Status);
        Assert.Null(response.Header("Content-Length"));
        Assert.Equal(3, response.Writes);
        Assert.Equal("first|\0\u00ff|last", response.BodyText);
        Assert.True(response.Completed);
    }

    [Fact]
    public void Wide_characters_are_sent_as_UTF8_or_Latin1()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("wide"));

        Assert.Equal("caf\u00e9", response.Header("X-Wide"));
        Assert.Equal(Encoding.UTF8.GetBytes("caf\u00e9 \u263a"), response.Body);
        Assert.True(perl.Logging.Contains("Wide character"));
    }

    [Fact]
    public void A_204_gets_no_Content_Length()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("no_content"));

        Assert.Equal(204, response.Status);
        Assert.Null(response.Header("Content-Length"));
        Assert.Equal(0, response.Writes);
    }

    [Fact]
    public void XS_modules_load_and_work()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("xs"));

        Assert.Equal("""{"floor":3,"sum":55}""", response.BodyText);
    }

    [Fact]
    public void Perl_arguments_reach_the_interpreter()
    {
        Assert.Equal("hello from TestLib", perl.Serve(FakeRequest.For("testlib")).BodyText);
    }

    [Fact]
    public void Dollar_dollar_is_this_process()
    {
        Assert.Equal(Environment.ProcessId.ToString(), perl.Serve(FakeRequest.For("pid")).BodyText);
    }

    [Fact]
    public void An_unknown_action_is_the_apps_own_404()
    {
        Assert.Equal(404, perl.Serve(FakeRequest.For("nope")).Status);
    }
}
