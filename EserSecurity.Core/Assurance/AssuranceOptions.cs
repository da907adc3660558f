namespace EserSecurity.Core.Assurance;

/// <summary>Settings of the annual confidentiality assurance (configuration section "Assurance").</summary>
public sealed class AssuranceOptions
{
    public const string SectionName = "Assurance";

    /// <summary>
    /// Days from July 1 in which an unsigned statement is "due" rather than "overdue": with 30, July 1–30 are due and
    /// July 31 is the first overdue day.
    /// </summary>
    public int GraceDays { get; set; } = AssuranceRules.DefaultGraceDays;

    /// <summary>
    /// What happens, after the grace period, to the IEP Forms grants of people who have not signed this school year's
    /// statement: <see cref="UnsignedIepFormsHandling.Flag"/> marks them for attention (the default),
    /// <see cref="UnsignedIepFormsHandling.Suspend"/> marks them suspended on the authorized-user list and the readiness board.
    /// </summary>
    public UnsignedIepFormsHandling UnsignedIepForms { get; set; } = UnsignedIepFormsHandling.Flag;
}
