using System.Text;
using System.Text.Json;
using ForkServer.Plugins.Psgi.Tests.Fakes;

namespace ForkServer.Plugins.Psgi.Tests;

[Collection(PerlCollection.Name)]
public sealed class EnvironmentTests(PerlFixture perl)
{
    private Dictionary<string, string> EnvOf(FakeRequest request)
    {
        RecordingResponse response = perl.Serve(request);
        Assert.Equal(200, response.Status);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(response.Body)!;
    }

    [Fact]
    public void Every_psgi_key_has_its_value()
    {
        var request = FakeRequest.For("env") with
        {
            Method = "POST",
            RawPath = "/a%20b/c",
            QueryString = "x=1&y=%20z",
            Body = "hello"u8.ToArray(),
        };
        request = request with
        {
            Headers = [.. request.Headers, new("Content-Type", "text/plain"), new("Content-Length", "5"), new("Accept", "a/b"),
                new("X-Multi", "one"), new("x-multi", "two"), new("User-Agent", "test/1.0")],
        };

        Dictionary<string, string> env = EnvOf(request);

        Assert.Equal("POST", env["REQUEST_METHOD"]);
        Assert.Equal("", env["SCRIPT_NAME"]);
        Assert.Equal("/a b/c", env["PATH_INFO"]);
        Assert.Equal("/a%20b/c?x=1&y=%20z", env["REQUEST_URI"]);
        Assert.Equal("x=1&y=%20z", env["QUERY_STRING"]);
        Assert.Equal("127.0.0.2", env["SERVER_NAME"]);
        Assert.Equal("8080", env["SERVER_PORT"]);
        Assert.Equal("HTTP/1.1", env["SERVER_PROTOCOL"]);
        Assert.Equal("127.0.0.1", env["REMOTE_ADDR"]);
        Assert.Equal("40123", env["REMOTE_PORT"]);
        Assert.Equal("5", env["CONTENT_LENGTH"]);
        Assert.Equal("text/plain", env["CONTENT_TYPE"]);
        Assert.False(env.ContainsKey("HTTP_CONTENT_LENGTH"));
        Assert.False(env.ContainsKey("HTTP_CONTENT_TYPE"));
        Assert.Equal("localhost:8080", env["HTTP_HOST"]);
        Assert.Equal("a/b", env["HTTP_ACCEPT"]);
        Assert.Equal("one, two", env["HTTP_X_MULTI"]);
        Assert.Equal("test/1.0", env["HTTP_USER_AGENT"]);
        Assert.Equal("1.1", env["psgi.version"]);
        Assert.Equal("http", env["psgi.url_scheme"]);
        Assert.Equal("REF:GLOB", env["psgi.input"]);
        Assert.Equal("1", env["psgi.input.can_seek"]);
        Assert.Equal("1", env["psgi.errors.can_print"]);
        Assert.Equal("", env["psgi.multithread"]);
        Assert.Equal("1", env["psgi.multiprocess"]);
        Assert.Equal("", env["psgi.run_once"]);
        Assert.Equal("", env["psgi.nonblocking"]);
        Assert.Equal("1", env["psgi.streaming"]);
        Assert.Equal("1", env["psgix.input.buffered"]);
    }

    [Fact]
    public void A_request_without_body_has_no_content_keys_and_an_empty_query()
    {
        Dictionary<string, string> env = EnvOf(FakeRequest.For("env"));

        Assert.False(env.ContainsKey("CONTENT_LENGTH"));
        Assert.False(env.ContainsKey("CONTENT_TYPE"));
        Assert.Equal("", env["QUERY_STRING"]);
        Assert.Equal("/", env["REQUEST_URI"]);
    }

    [Fact]
    public void A_chunked_body_gets_its_length()
    {
        var request = FakeRequest.For("env", ("Transfer-Encoding", "chunked")) with { Method = "PUT", Body = new byte[300] };

        Assert.Equal("300", EnvOf(request)["CONTENT_LENGTH"]);
    }

    [Theory]
    [InlineData("/plain", "/plain")]
    [InlineData("/%41%62%2fc", "/Ab/c")]
    [InlineData("/caf%C3%A9", "/caf\u00c3\u00a9")]
    [InlineData("/nul%00byte", "/nul\0byte")]
    [InlineData("/bad%zz%4", "/bad%zz%4")]
    [InlineData("/%ff%FE", "/\u00ff\u00fe")]
    public void PATH_INFO_is_the_percent_decoded_path_as_bytes(string rawPath, string expectedLatin1)
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("path_info") with { RawPath = rawPath });

        Assert.Equal(Encoding.Latin1.GetBytes(expectedLatin1), response.Body);
    }

    [Fact]
    public void A_NUL_byte_in_PATH_INFO_leaves_the_other_keys_intact()
    {
        Dictionary<string, string> env = EnvOf(FakeRequest.For("env") with { RawPath = "/x%00y", QueryString = "q=1" });

        Assert.Equal("/x\0y", env["PATH_INFO"]);
        Assert.Equal("q=1", env["QUERY_STRING"]);
        Assert.Equal("localhost:8080", env["HTTP_HOST"]);
    }

    [Fact]
    public void Header_values_are_bytes()
    {
        Dictionary<string, string> env = EnvOf(FakeRequest.For("env", ("X-Latin", "caf\u00e9\u00ff")));

        Assert.Equal("caf\u00e9\u00ff", env["HTTP_X_LATIN"]);
    }
}
