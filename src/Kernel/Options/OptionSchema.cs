using System.Diagnostics.CodeAnalysis;
using ForkServer.Abstractions;

namespace ForkServer.Kernel.Options;

/// <summary>
/// Every option this process understands: the kernel's and each loaded plugin's, plus the uWSGI aliases
/// (<c>workers</c> for <c>processes</c>). Names are case-sensitive, as in uWSGI.
/// </summary>
internal sealed class OptionSchema
{
    private readonly Dictionary<string, OptionDeclaration> _declarations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    /// <summary>The declarations, aliases not included.</summary>
    public IReadOnlyCollection<OptionDeclaration> All => _declarations.Values;

    /// <summary>Adds the options of one owner.</summary>
    /// <param name="declarations">The options.</param>
    /// <param name="owner"><c>kernel</c> or the plugin name, to say who clashes with whom.</param>
    /// <exception cref="InvalidOperationException">A name is already declared or is an alias.</exception>
    public void Add(IEnumerable<OptionDeclaration> declarations, string owner)
    {
        foreach (var declaration in declarations)
        {
            if (string.IsNullOrWhiteSpace(declaration.Name))
            {
                throw new ArgumentException($"{owner} declares an option with an empty name.", nameof(declarations));
            }

            if (_declarations.ContainsKey(declaration.Name))
            {
                throw new InvalidOperationException(
                    $"Option '{declaration.Name}' is declared by both {_owners[declaration.Name]} and {owner}.");
            }

            if (_aliases.TryGetValue(declaration.Name, out var canonical))
            {
                throw new InvalidOperationException(
                    $"{owner} declares option '{declaration.Name}', already an alias of '{canonical}'.");
            }

            _declarations.Add(declaration.Name, declaration);
            _owners.Add(declaration.Name, owner);
        }
    }

    /// <summary>Makes <paramref name="alias"/> another name for the declared option <paramref name="canonical"/>.</summary>
    /// <exception cref="InvalidOperationException">The alias is taken, or <paramref name="canonical"/> is not declared.</exception>
    public void AddAlias(string alias, string canonical)
    {
        if (!_declarations.ContainsKey(canonical))
        {
            throw new InvalidOperationException($"Alias '{alias}' names '{canonical}', which is not declared.");
        }

        if (_declarations.ContainsKey(alias) || _aliases.ContainsKey(alias))
        {
            throw new InvalidOperationException($"Alias '{alias}' is already an option or an alias.");
        }

        _aliases.Add(alias, canonical);
    }

    /// <summary>Finds an option by its name or an alias.</summary>
    public bool TryGet(string nameOrAlias, [MaybeNullWhen(false)] out OptionDeclaration declaration)
    {
        var name = _aliases.TryGetValue(nameOrAlias, out var canonical) ? canonical : nameOrAlias;
        return _declarations.TryGetValue(name, out declaration);
    }

    /// <summary>
    /// The option name or alias closest to a mistyped <paramref name="unknown"/> (edit distance at most 2), or
    /// <c>null</c>. Ties go to the name first in ordinal order so the suggestion does not depend on load order.
    /// </summary>
    public string? Suggest(string unknown)
        => EditDistance.Closest(unknown, _declarations.Keys.Concat(_aliases.Keys));
}
