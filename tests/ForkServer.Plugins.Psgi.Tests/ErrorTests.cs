using ForkServer.Plugins.Psgi.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi.Tests;

[Collection(PerlCollection.Name)]
public sealed class ErrorTests(PerlFixture perl)
{
    [Fact]
    public void Die_becomes_a_logged_500_and_the_next_request_works()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("die"));

        Assert.Equal(500, response.Status);
        Assert.Equal("Internal Server Error", response.BodyText);
        Assert.True(response.Completed);
        Assert.Contains(perl.Logging.Events, e => e.Message.Contains("boom from the app") && e.Level >= LogLevel.Warning);
        Assert.Equal("Hello World", perl.Serve(FakeRequest.For("hello")).BodyText);
    }

    [Fact]
    public void Exit_in_the_app_is_a_500_not_the_end_of_the_process()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("exit"));

        Assert.Equal(500, response.Status);
        Assert.True(perl.Logging.Contains("exit(3) called inside a PSGI application"));
        Assert.Equal(200, perl.Serve(FakeRequest.For("hello")).Status);
    }

    [Fact]
    public void Die_after_the_head_was_sent_aborts_the_response()
    {
        RecordingResponse response = perl.Serve(FakeRequest.For("die_streaming"));

        Assert.Equal(200, response.Status);
        Assert.Equal("partial", response.BodyText);
        Assert.True(response.Aborted);
        Assert.False(response.Completed);
        Assert.True(perl.Logging.Contains("died mid-stream"));
        Assert.Equal(200, perl.Serve(FakeRequest.For("hello")).Status);
    }

    [Fact]
    public void A_disconnected_client_stops_the_stream()
    {
        var response = new RecordingResponse { ClientDisconnected = true };

        perl.Handler.Handle(FakeRequest.For("streaming"), response);

        Assert.Equal(1, response.Writes);
        Assert.True(response.Completed || response.Aborted);
        Assert.Equal(200, perl.Serve(FakeRequest.For("hello")).Status);
    }

    [Fact]
    public void Psgi_errors_and_warn_go_to_the_logger()
    {
        Assert.Equal("logged", perl.Serve(FakeRequest.For("errors")).BodyText);

        Assert.Contains(perl.Logging.Events, e => e.Message == "hello from psgi.errors" && e.Category == "ForkServer.Plugins.Psgi");
        Assert.True(perl.Logging.Contains("a warning"));
    }
}
