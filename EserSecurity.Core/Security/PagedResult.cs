namespace EserSecurity.Core.Security;

/// <summary>One page of rows and the total number of rows matching the query.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount);
