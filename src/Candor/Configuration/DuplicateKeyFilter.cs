using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Candor.Configuration;

/// <summary>
/// Sits between the YAML parser and <see cref="YamlDotNet.RepresentationModel.YamlStream"/>. The stream throws at the
/// first duplicate key, which would hide every later error; this filter reports the duplicate, drops it with its
/// value, and lets loading go on. It also remembers the open flow collections, because the scanner reports some
/// unclosed ones without a position.
/// </summary>
internal sealed class DuplicateKeyFilter(IParser inner, Action<Position, string> onDuplicate) : IParser
{
    private readonly Stack<Collection> _open = new();

    public ParsingEvent? Current => inner.Current;

    /// <summary>Where the innermost <c>[</c> or <c>{</c> that is still open was written, if any.</summary>
    public (Position At, char Bracket)? OpenFlowCollection =>
        _open.FirstOrDefault(c => c.Flow) is { } c ? (c.At, c.Keys is null ? '[' : '{') : null;

    public bool MoveNext()
    {
        while (inner.MoveNext())
        {
            if (_open.TryPeek(out var top) && top.Keys is not null && top.AtKey && inner.Current is Scalar key
                && !top.Keys.TryAdd(key.Value, At(key.Start)))
            {
                onDuplicate(At(key.Start), $"duplicate key '{key.Value}', first given at line {top.Keys[key.Value].Line}");
                SkipValue();
                continue;
            }

            Track(inner.Current!);
            return true;
        }

        return false;
    }

    private void Track(ParsingEvent current)
    {
        switch (current)
        {
            case MappingStart mapping:
                _open.Push(new Collection(At(mapping.Start), mapping.Style == MappingStyle.Flow, new(StringComparer.Ordinal)));
                break;
            case SequenceStart sequence:
                _open.Push(new Collection(At(sequence.Start), sequence.Style == SequenceStyle.Flow, null));
                break;
            case MappingEnd or SequenceEnd:
                _open.Pop();
                NodeDone();
                break;
            case Scalar or AnchorAlias:
                NodeDone();
                break;
            case DocumentStart:
                _open.Clear();
                break;
        }
    }

    /// <summary>Inside a mapping, nodes alternate between key and value.</summary>
    private void NodeDone()
    {
        if (_open.TryPeek(out var top) && top.Keys is not null)
        {
            top.AtKey = !top.AtKey;
        }
    }

    private void SkipValue()
    {
        var depth = 0;
        do
        {
            if (!inner.MoveNext())
            {
                return;
            }

            depth += inner.Current!.NestingIncrease;
        }
        while (depth > 0);
    }

    private static Position At(Mark mark) => new((int)mark.Line, (int)mark.Column);

    /// <param name="Keys">The keys seen so far with where each was first given; null for a sequence.</param>
    private sealed record Collection(Position At, bool Flow, Dictionary<string, Position>? Keys)
    {
        public bool AtKey { get; set; } = true;
    }
}
