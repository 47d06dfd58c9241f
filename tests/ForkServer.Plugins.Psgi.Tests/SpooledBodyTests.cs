using System.Text;
using ForkServer.Plugins.Psgi.Tests.Fakes;

namespace ForkServer.Plugins.Psgi.Tests;

/// <summary>A body the kernel spooled to a file reaches psgi.input whole and seekable; underscore names never reach the env.</summary>
[Collection(PerlCollection.Name)]
public sealed class SpooledBodyTests(PerlFixture perl)
{
    [Theory]
    [InlineData("echo", "the body, from a file")]
    [InlineData("seek", "the |the body, from a file")]
    public void A_spooled_body_is_read_and_rewound_through_psgi_input(string action, string expected)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "the body, from a file");
            using var file = File.OpenHandle(path);
            int fd = (int)file.DangerousGetHandle();
            RecordingResponse response = perl.Serve(FakeRequest.For(action) with { Method = "POST", BodyFile = fd });
            Assert.Equal(200, response.Status);
            Assert.Equal(expected, Encoding.Latin1.GetString(response.Body));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_header_name_with_an_underscore_is_dropped()
    {
        var request = FakeRequest.For("env", ("X_Forwarded_For", "6.6.6.6"), ("X-Forwarded-For", "1.2.3.4"));
        RecordingResponse response = perl.Serve(request);
        var env = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(response.Body)!;
        Assert.Equal("1.2.3.4", env["HTTP_X_FORWARDED_FOR"]);
    }
}
