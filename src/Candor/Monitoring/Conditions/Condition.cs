namespace Candor.Monitoring.Conditions;

/// <summary>The result of one condition on one observation.</summary>
/// <param name="Explanation">The condition with the resolved value, e.g. <c>status (500) == 200</c>.</param>
public readonly record struct ConditionVerdict(bool Holds, string Explanation);

/// <summary>A condition parsed once, at load, into a tree that is evaluated against every observation.</summary>
public abstract class Condition
{
    /// <summary>The condition as written in the config.</summary>
    public abstract string Text { get; }

    /// <summary>What the condition looks at: status, body, header, json, response_time, cert_expires_in, ...</summary>
    public abstract string Subject { get; }

    public abstract ConditionVerdict Evaluate(Observation observation);

    public override string ToString() => Text;
}

/// <summary>A condition that does not parse; <see cref="Offset"/> is the 0-based character where it goes wrong.</summary>
public sealed class ConditionSyntaxException(int offset, string message) : Exception(message)
{
    public int Offset { get; } = offset;
}
