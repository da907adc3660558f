namespace EserSecurity.Core.Reviews;

/// <summary>Settings of access reviews (configuration section "AccessReviews").</summary>
public sealed class AccessReviewOptions
{
    public const string SectionName = "AccessReviews";

    /// <summary>What an item still undecided after its review's due date gets: flagged (the default), ended or kept.</summary>
    public DueDateDefault DefaultAtDueDate { get; set; } = DueDateDefault.Flag;

    /// <summary>How often the console checks for reviews past their due date; reads of reviews check as well.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>The default for items nobody decided by the due date.</summary>
public enum DueDateDefault
{
    /// <summary>The item stays undecided and is reported as flagged; someone still has to decide it before sign-off.</summary>
    Flag,

    /// <summary>The item is decided End by nobody; the grant ends when the review is completed.</summary>
    End,

    /// <summary>The item is decided Keep by nobody.</summary>
    Keep,
}
