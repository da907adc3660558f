namespace EserSecurity.Core.Assurance;

/// <summary>
/// What a state administrator writes for a statement version: its title, its body (paragraphs, "# " headings and
/// "- " list items; see <see cref="StatementMarkup"/>) and its acknowledgements, one a line.
/// </summary>
public sealed record StatementContent(string Title, string Body, string Acknowledgements);

/// <summary>A statement version as the administrators' list shows it.</summary>
/// <param name="IsCurrent">The newest published version of its school year: the one people sign.</param>
public sealed record StatementVersionRow(
    int Id,
    SchoolYear Year,
    int VersionNumber,
    string Title,
    StatementStatus Status,
    DateTimeOffset? PublishedAt,
    string? PublishedByName,
    bool IsCurrent,
    int SignatureCount);

/// <summary>A statement version with its text, as stored (<see cref="Body"/>, for editing) and as laid out (<see cref="Blocks"/>).</summary>
public sealed record StatementView(
    int Id,
    SchoolYear Year,
    int VersionNumber,
    string Title,
    string Body,
    IReadOnlyList<StatementBlock> Blocks,
    IReadOnlyList<string> Acknowledgements,
    StatementStatus Status,
    DateTimeOffset? PublishedAt,
    bool IsCurrent,
    long Version = 0);

/// <summary>How the next version of a school year starts (<see cref="StatementService.StartVersionAsync"/>).</summary>
/// <param name="VersionNumber">The number the new version gets when it is saved; the draft's own when the year has one.</param>
/// <param name="DraftId">The year's draft, when it has one: it is edited rather than another started.</param>
/// <param name="Template">The version whose text the new one starts from; null while no statement has been written.</param>
public sealed record StatementStart(SchoolYear Year, int VersionNumber, int? DraftId, StatementView? Template);

/// <summary>The result of publishing a version; <see cref="SupersededVersionNumber"/> is set when it corrects an earlier one.</summary>
public sealed record StatementPublication(
    int Id, SchoolYear Year, int VersionNumber, DateTimeOffset PublishedAt, int? SupersededVersionNumber, string Message);
