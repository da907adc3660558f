using System.Globalization;
using EserSecurity.Core.Assurance;

namespace EserSecurity.DemoState;

/// <summary>The confidentiality assurance statement text the demo state publishes for a school year.</summary>
internal static class DemoStatementText
{
    public static readonly string Acknowledgements = string.Join('\n',
        "I will access student records only as my duties require.",
        "I completed my school system's security training this school year.",
        "I will report any suspected breach of confidentiality to my security coordinator at once.");

    public static string Title(SchoolYear year) => $"Confidentiality Assurance Statement {year.Label}";

    public static string Body(SchoolYear year) => string.Create(CultureInfo.InvariantCulture, $"""
        # Why I sign this statement
        eSER holds the individualized education programs (IEPs), evaluations and service records of students with disabilities. The Individuals with Disabilities Education Act (IDEA), the Family Educational Rights and Privacy Act (FERPA) and state law protect this information. Everyone who uses eSER signs this statement once each school year, before using eSER that year.

        # What I agree to
        - I will access, view or change student records only as my assigned duties require.
        - I will not share my sign-on account or password, and I will not let anyone use eSER under my account.
        - I will not disclose personally identifiable information about a student except to people authorized to receive it.
        - I will print, download or copy student records only when my duties require it, and I will keep every copy secure.
        - I will sign out of eSER and lock my screen whenever I leave my device.
        - I will follow my school system's written security and confidentiality policy, including its rules for IEP security.

        # Reporting a concern
        If I suspect that student information has been accessed, changed or disclosed without authorization, I will report it at once to my school system's security coordinator, who will notify the special education supervisor.

        # Consequences
        I understand that misuse of student information may lead to the loss of my access to eSER, to discipline under my school system's policies, and to penalties under state and federal law.

        # How long this statement applies
        This statement covers the {year.Label} school year, from {year.StartsOn:MMMM d, yyyy} through {year.EndsOn:MMMM d, yyyy}. My access is reviewed at least once a year by my security coordinator and special education supervisor, and it ends when my employment ends or my duties no longer require it.
        """);
}
