namespace EserSecurity.Core.KeyDates;

/// <summary>A key date as the home page, the readiness board and the key dates page show it.</summary>
/// <remarks><see cref="Version"/> is what an edit of this date passes back (see <see cref="KeyDateService.UpdateAsync"/>).</remarks>
public sealed record KeyDateRow(int Id, KeyDateKind Kind, string Title, DateOnly On, TimeOnly? StartsAt, TimeOnly? EndsAt, string? Notes, long Version);

/// <summary>What a state administrator enters for a key date. A Q&amp;A session needs its start time.</summary>
public sealed record KeyDateEdit(KeyDateKind Kind, string Title, DateOnly On, TimeOnly? StartsAt = null, TimeOnly? EndsAt = null, string? Notes = null);

/// <summary>The key date change cannot be made as asked; the message says why and is safe to show.</summary>
public sealed class KeyDateRefusedException(string message) : Exception(message);
