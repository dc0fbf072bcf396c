namespace Candor.Monitoring.Conditions;

internal enum ConditionOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Contains,
    NotContains,
    Matches,
    In,
    NotIn,
}

internal static class ConditionOperatorText
{
    /// <summary>Every operator, as written, for messages that list them.</summary>
    public const string All = "==, !=, <, <=, >, >=, contains, not contains, matches, in, not in";

    public static string Text(this ConditionOperator op) => op switch
    {
        ConditionOperator.Equal => "==",
        ConditionOperator.NotEqual => "!=",
        ConditionOperator.Less => "<",
        ConditionOperator.LessOrEqual => "<=",
        ConditionOperator.Greater => ">",
        ConditionOperator.GreaterOrEqual => ">=",
        ConditionOperator.Contains => "contains",
        ConditionOperator.NotContains => "not contains",
        ConditionOperator.Matches => "matches",
        ConditionOperator.In => "in",
        _ => "not in",
    };

    public static bool IsOrdering(this ConditionOperator op) =>
        op is ConditionOperator.Less or ConditionOperator.LessOrEqual or ConditionOperator.Greater or ConditionOperator.GreaterOrEqual;
}
