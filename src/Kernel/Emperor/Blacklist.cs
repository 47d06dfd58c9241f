namespace ForkServer.Kernel.Emperor;

/// <summary>
/// Vassals that keep dying before they were ever loyal, and how long each must wait before its next spawn.
/// The wait doubles with each failure up to a ceiling, and a loyal report clears the entry. Unlike uWSGI there is
/// no global sleep: the Emperor schedules each respawn and keeps serving everything else meanwhile.
/// </summary>
internal sealed class Blacklist(TimeSpan step, TimeSpan ceiling)
{
    private readonly Dictionary<string, BlacklistEntry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<BlacklistEntry> Entries => _entries.Values;

    /// <summary>Records one more failure of <paramref name="name"/>; returns how long its next spawn must wait.</summary>
    public TimeSpan Punish(string name)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!_entries.TryGetValue(name, out var entry))
        {
            entry = new BlacklistEntry(name, now) { Delay = step };
            _entries[name] = entry;
        }
        else
        {
            entry.Delay = TimeSpan.FromTicks(Math.Min(entry.Delay.Ticks * 2, ceiling.Ticks));
        }

        entry.Attempt++;
        entry.LastAttempt = now;
        return entry.Delay;
    }

    /// <summary>Clears <paramref name="name"/> (it proved loyal, or its file is gone).</summary>
    public void Forgive(string name) => _entries.Remove(name);

    /// <summary>Clears every entry.</summary>
    public void Clear() => _entries.Clear();
}
