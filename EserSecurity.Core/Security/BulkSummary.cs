namespace EserSecurity.Core.Security;

/// <summary>
/// What a bulk action did to the rows it was given, each handled on its own: a headline that counts every outcome,
/// and a line for each row that was not done, saying why.
/// </summary>
public interface IBulkSummary
{
    /// <summary>Every outcome counted, for example "12 approved, 2 not approved".</summary>
    string Headline { get; }

    /// <summary>One line for each row the action left as it was, with the reason.</summary>
    IReadOnlyList<string> NotDone { get; }
}
