using EserSecurity.Core.Security;

namespace EserSecurity.Core.Employment;

/// <summary>One grant on the change-of-duties list, as the page shows it.</summary>
public sealed record ChangeOfDutiesRow(
    int Id,
    int StaffMemberId,
    string PersonName,
    string StaffId,
    string RoleName,
    bool GrantsIepForms,
    string SchoolSystemName,
    string SchoolLeft,
    string CurrentSchools,
    DateOnly MovedOn,
    DateOnly DecideBy,
    int DaysLeft);

/// <summary>What deciding one item did.</summary>
public sealed record ChangeOfDutiesOutcome(int ItemId, bool Done, string Message);

/// <summary>What a bulk keep or end did to each selected item.</summary>
public sealed record ChangeOfDutiesBulkSummary(ChangeOfDutiesDecision Decision, IReadOnlyList<ChangeOfDutiesOutcome> Outcomes) : IBulkSummary
{
    public string Headline
    {
        get
        {
            var done = Outcomes.Count(o => o.Done);
            var verb = Decision == ChangeOfDutiesDecision.Keep ? "kept" : "ended";
            var notDone = Outcomes.Count - done;
            return notDone == 0 ? $"{done} {verb}" : $"{done} {verb}, {notDone} not {verb}";
        }
    }

    public IReadOnlyList<string> NotDone => Outcomes.Where(o => !o.Done).Select(o => o.Message).ToList();
}

/// <summary>A change-of-duties item cannot be decided as asked; the message says why and is safe to show.</summary>
public sealed class ChangeOfDutiesRefusedException(string message) : Exception(message);
