using System.Text;
using System.Text.Json;
using ForkServer.Kernel.Emperor.Stats;
using Snapshooter.Xunit;

namespace ForkServer.Kernel.Tests.Emperor.Stats;

/// <summary>The stats document: uWSGI's layout and key order, valid JSON, our extra fields last.</summary>
public sealed class EmperorStatsWriterTests
{
    private const string SamplePath = "/work/shared/emperor-stats-sample.json";

    [Fact]
    public void Two_vassals_and_one_blacklist_entry_render_as_recorded()
        => Snapshot.Match(Encoding.UTF8.GetString(EmperorStatsWriter.Write(StatsSamples.TwoVassalsOneBlacklisted())));

    [Fact]
    public void The_document_is_valid_json_with_attrs_as_an_object_and_escaped_strings()
    {
        using var document = JsonDocument.Parse(EmperorStatsWriter.Write(StatsSamples.TwoVassalsOneBlacklisted()));
        var adopted = document.RootElement.GetProperty("vassals")[1];

        Assert.Equal(1, adopted.GetProperty("adopted").GetInt32());
        Assert.Equal("/run/base.sock", adopted.GetProperty("attrs").GetProperty("fork-server").GetString());
        Assert.Equal("say \"hi\"\\\n\ttab", adopted.GetProperty("attrs").GetProperty("note").GetString());
        Assert.Equal([7530, 7531], document.RootElement.GetProperty("vassals")[0].GetProperty("workers").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(3000, document.RootElement.GetProperty("blacklist")[0].GetProperty("throttle_level").GetInt64());
    }

    [Fact]
    public void Control_characters_and_non_ascii_survive_a_round_trip()
    {
        string id = "\u0001v\u001f\u00e9\u4e2d\ud83d\ude00.ini";
        var snapshot = StatsSamples.TwoVassalsOneBlacklisted() with { Cwd = id };
        using var document = JsonDocument.Parse(EmperorStatsWriter.Write(snapshot));
        Assert.Equal(id, document.RootElement.GetProperty("cwd").GetString());
    }

    [Fact]
    public void Keys_follow_uwsgi_order_with_our_fields_appended()
    {
        if (!File.Exists(SamplePath))
        {
            // The shared sample lives outside the repository; without it there is nothing to compare with.
            return;
        }

        using var sample = JsonDocument.Parse(File.ReadAllBytes(SamplePath));
        using var ours = JsonDocument.Parse(EmperorStatsWriter.Write(StatsSamples.TwoVassalsOneBlacklisted()));

        Assert.Equal(Keys(sample.RootElement), Keys(ours.RootElement));
        Assert.Equal(
            Keys(sample.RootElement.GetProperty("vassals")[0]).Concat(["rss", "pss", "workers"]),
            Keys(ours.RootElement.GetProperty("vassals")[0]));
    }

    [Fact]
    public void Layout_matches_uwsgi_tab_indentation_without_space_after_colons()
    {
        string text = Encoding.UTF8.GetString(EmperorStatsWriter.Write(StatsSamples.TwoVassalsOneBlacklisted()));
        Assert.StartsWith("{\n\t\"version\":\"2.1-dev\",\n\t\"pid\":7521,\n", text);
        Assert.Contains("\n\t\t{\n\t\t\t\"id\":\"perlbase.ini\",\n", text);
        Assert.Contains("\n\t\"emperor_tyrant\":0,\n", text);
    }

    private static string[] Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
