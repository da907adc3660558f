using EserSecurity.Core.Grants;
using EserSecurity.Core.Roles;

namespace EserSecurity.DemoState;

/// <summary>The demo role catalog, its TAS mapping and the positions staff hold, with the SER roles each position used.</summary>
internal static class DemoCatalog
{
    public const string IepFormsWriter = "IEP_WRITER";
    public const string IepFormsSupervisor = "IEP_SUPERVISOR";
    public const string StudentDataEntry = "STUDENT_DATA_ENTRY";
    public const string EvaluationCoordinator = "EVALUATION_COORDINATOR";
    public const string RelatedServices = "RELATED_SERVICES";
    public const string ReadOnlyViewer = "READ_ONLY";
    public const string LeaReports = "REPORTS_LEA";
    public const string LeaDataManager = "LEA_DATA_MANAGER";

    public const string TasIepWriter = "SER IEP Writer";
    public const string TasCaseManager = "SER Case Manager";
    public const string TasSupervisor = "SER Supervisor";
    public const string TasDataEntry = "SER Data Entry";
    public const string TasServiceEntry = "SER Service Entry";
    public const string TasPupilAppraisal = "SER Pupil Appraisal";
    public const string TasRelatedServices = "SER Related Services";
    public const string TasViewOnly = "SER View Only";
    public const string TasReports = "SER Reports";
    public const string TasSponsorDataManager = "SER Sponsor Data Manager";
    public const string TasTimelineReports = "SER Timeline Reports";
    public const string TasGiftedScreening = "SER Gifted Screening";
    public const string TasLegacyUpload = "SER Legacy Upload";

    public static readonly IReadOnlyList<RoleSpec> Roles =
    [
        new(IepFormsWriter, "IEP Forms Writer",
            "Writes and finalizes IEPs for students on the user's caseload at one school. Reaches IEP Forms, so the special education supervisor gives a second approval.",
            ["View student records", "Create and edit IEP forms", "Finalize IEPs", "Upload documents"],
            GrantsIepForms: true, RoleLevel.School),
        new(IepFormsSupervisor, "IEP Forms Supervisor",
            "Oversees IEP Forms across the school system: amends finalized IEPs and reassigns case managers. Reaches IEP Forms, so the special education supervisor gives a second approval.",
            ["View student records", "Create and edit IEP forms", "Finalize IEPs", "Amend finalized IEPs", "Reassign case managers"],
            GrantsIepForms: true, RoleLevel.SchoolSystem),
        new(StudentDataEntry, "Student Data Entry",
            "Keeps student demographics, enrollment and service records current at one school.",
            ["View student records", "Edit student demographics", "Record services"],
            GrantsIepForms: false, RoleLevel.School),
        new(EvaluationCoordinator, "Evaluation Coordinator",
            "Conducts and records initial evaluations and re-evaluations for students referred at one school.",
            ["View student records", "Create and edit evaluations", "Finalize evaluations"],
            GrantsIepForms: false, RoleLevel.School),
        new(RelatedServices, "Related Services Provider",
            "Logs speech, occupational, physical therapy and counseling services delivered at one school.",
            ["View student records", "Record service logs", "Upload documents"],
            GrantsIepForms: false, RoleLevel.School),
        new(ReadOnlyViewer, "Read-Only Viewer",
            "Views IEPs, evaluations and accommodations of students at one school without changing them.",
            ["View student records", "View IEPs", "View evaluations"],
            GrantsIepForms: false, RoleLevel.School),
        new(LeaReports, "Reports (LEA)",
            "Runs school-system reports: child count, evaluation timelines and state submissions.",
            ["View student records", "Run LEA reports", "Export state reports"],
            GrantsIepForms: false, RoleLevel.SchoolSystem),
        new(LeaDataManager, "LEA Data Manager",
            "Manages student transfers and enrollment across every school of the school system.",
            ["View student records", "Edit student demographics", "Transfer students", "Manage school enrollment", "Run LEA reports"],
            GrantsIepForms: false, RoleLevel.SchoolSystem),
    ];

    /// <summary>Each legacy TAS role with the eSER role and permission it maps to; the last two are left unmapped on purpose.</summary>
    public static readonly IReadOnlyList<TasRoleSpec> TasRoles =
    [
        new(TasIepWriter, IepFormsWriter, "Create and edit IEP forms"),
        new(TasCaseManager, IepFormsWriter, "Finalize IEPs"),
        new(TasSupervisor, IepFormsSupervisor, "Amend finalized IEPs"),
        new(TasDataEntry, StudentDataEntry, "Edit student demographics"),
        new(TasServiceEntry, StudentDataEntry, "Record services"),
        new(TasPupilAppraisal, EvaluationCoordinator, "Create and edit evaluations"),
        new(TasRelatedServices, RelatedServices, "Record service logs"),
        new(TasViewOnly, ReadOnlyViewer, "View student records"),
        new(TasReports, LeaReports, "Run LEA reports"),
        new(TasTimelineReports, LeaReports, "Export state reports"),
        new(TasSponsorDataManager, LeaDataManager, "Transfer students"),
        new(TasGiftedScreening, null, null),
        new(TasLegacyUpload, null, null),
    ];

    public static readonly PositionSpec Teacher = new("Teacher", 44, 0.62, [TasViewOnly, TasViewOnly, TasServiceEntry], 0.03, MayHoldUnmapped: true);
    private const string SpecialEducationTeacherName = "Special Education Teacher";
    private const string SpeechLanguagePathologistName = "Speech-Language Pathologist";

    public static readonly PositionSpec SpecialEducationTeacher = new(SpecialEducationTeacherName, 13, 0.97, [TasIepWriter, TasCaseManager], 0.08);
    public static readonly PositionSpec Principal = new("Principal", 0, 0.9, [TasViewOnly], 0);
    public static readonly PositionSpec AssistantPrincipal = new("Assistant Principal", 3, 0.8, [TasViewOnly, TasDataEntry], 0);
    public static readonly PositionSpec Secretary = new("Secretary", 4, 0.6, [TasDataEntry], 0, MayHoldUnmapped: true);
    public static readonly PositionSpec DataManager = new("Data Manager", 2, 0.95, [TasDataEntry], 0.1);
    public static readonly PositionSpec SpecialEducationSupervisor = new("Special Education Supervisor", 0, 1, [TasSupervisor], 0);
    public static readonly PositionSpec TechnologyCoordinator = new("Technology Coordinator", 0, 0.5, [TasReports, TasTimelineReports], 0);
    public static readonly PositionSpec CentralDataManager = new("Data Manager", 0, 0.95, [TasSponsorDataManager], 0);

    /// <summary>School-based positions drawn at random, with their weights.</summary>
    public static readonly IReadOnlyList<PositionSpec> SchoolPositions =
    [
        Teacher,
        SpecialEducationTeacher,
        new("Paraprofessional", 8, 0.3, [TasServiceEntry], 0.02, MayHoldUnmapped: true),
        new(SpeechLanguagePathologistName, 4, 0.95, [TasIepWriter, TasRelatedServices], 0.5),
        new("School Psychologist", 1.5, 0.95, [TasPupilAppraisal], 0.6),
        new("Educational Diagnostician", 1.5, 0.95, [TasPupilAppraisal], 0.6),
        new("Related Services Provider", 2, 0.9, [TasRelatedServices], 0.5),
        new("School Social Worker", 1.5, 0.85, [TasPupilAppraisal, TasRelatedServices], 0.4),
        AssistantPrincipal,
        new("School Counselor", 3, 0.6, [TasViewOnly], 0.1, MayHoldUnmapped: true),
        Secretary,
        DataManager,
    ];

    public static readonly IReadOnlyList<string> StatePositions =
    [
        "Special Education Program Consultant",
        "Special Education Program Consultant",
        "Special Education Program Consultant",
        "Data Quality Analyst",
        "Data Quality Analyst",
        "Help Desk Specialist",
        "Help Desk Specialist",
        "Help Desk Specialist",
        "Office of Technology Services Analyst",
        "Office of Technology Services Analyst",
    ];

    public const string StateAdminPosition = "eSER Program Manager";
    public const string StateDataDirectorPosition = "Director of Special Education Data";

    /// <summary>
    /// Why people ask for each role, in their own words, with the positions each reason fits (none: anyone).
    /// "{school}" is the school or school system.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string Text, string[] Positions)[]> Justifications =
        new Dictionary<string, (string, string[])[]>
        {
            [IepFormsWriter] =
            [
                ("I am case manager for students with IEPs at {school} and write and finalize their IEPs.", [SpecialEducationTeacherName]),
                ("New special education teacher at {school} this year; I need to write IEPs for my caseload.", [SpecialEducationTeacherName]),
                ("Resource teacher at {school}. I write IEPs and progress reports for my students.", [SpecialEducationTeacherName]),
                ("I took over a caseload at {school} in October and need IEP Forms to finish upcoming annual reviews.", [SpecialEducationTeacherName, SpeechLanguagePathologistName]),
                ("I hold annual IEP meetings for my speech-only students at {school} and draft their IEPs.", [SpeechLanguagePathologistName]),
                ("I write IEPs for the students on my caseload at {school}.", []),
            ],
            [IepFormsSupervisor] =
            [
                ("As special education supervisor I review and amend finalized IEPs across {school}.", []),
                ("I reassign case managers when teachers move between schools in {school}.", []),
            ],
            [StudentDataEntry] =
            [
                ("I enter student demographics and enrollment changes for {school}.", ["Secretary", "Data Manager", "Assistant Principal"]),
                ("School data manager at {school}; I keep special education records and service dates current.", ["Data Manager"]),
                ("I record services and update student information for the front office at {school}.", ["Secretary"]),
                ("I record the services I deliver to students with IEPs at {school}.", ["Teacher", "Paraprofessional"]),
                ("I help the special education teachers at {school} keep service records current.", ["Paraprofessional"]),
                ("I keep student information current for {school}.", []),
            ],
            [EvaluationCoordinator] =
            [
                ("I complete initial evaluations and re-evaluations for students referred at {school}.", ["School Psychologist", "Educational Diagnostician"]),
                ("Pupil appraisal team member assigned to {school}; I write evaluation reports.", ["School Psychologist", "Educational Diagnostician", "School Social Worker"]),
                ("I complete the social history for evaluations of students referred at {school}.", ["School Social Worker"]),
                ("I coordinate evaluation timelines for {school} and need to finalize evaluation reports.", []),
            ],
            [RelatedServices] =
            [
                ("I provide occupational therapy at {school} and log services weekly.", ["Related Services Provider"]),
                ("Physical therapist serving {school}; I record service minutes for students on my caseload.", ["Related Services Provider"]),
                ("I deliver counseling as a related service at {school} and record session logs.", ["School Social Worker", "School Counselor"]),
                ("I provide speech therapy at {school} and log each session.", [SpeechLanguagePathologistName]),
                ("I log the related services delivered at {school}.", []),
            ],
            [ReadOnlyViewer] =
            [
                ("I attend IEP meetings as the general education teacher and need to see accommodations for students in my classes at {school}.", ["Teacher"]),
                ("I teach inclusion classes at {school} and need to view my students' IEPs.", ["Teacher", "Paraprofessional"]),
                ("As an administrator at {school} I review IEPs before meetings and for discipline decisions.", ["Principal", "Assistant Principal"]),
                ("Counselor at {school}; I need to see accommodations when building student schedules.", ["School Counselor"]),
                ("I support students with IEPs at {school} and need to see their accommodations.", []),
            ],
            [LeaReports] =
            [
                ("I run the child count and evaluation timeline reports for the special education office of {school}.", []),
                ("I prepare the state special education submissions for {school}.", []),
            ],
            [LeaDataManager] =
            [
                ("I manage student transfers and enrollment across all schools of {school}.", []),
                ("District data manager for {school}; I resolve duplicate students and transfers between schools.", []),
            ],
        };

    public static readonly IReadOnlyList<string> CoordinatorDenialReasons =
    [
        "Your position does not call for this role. Please request Read-Only Viewer instead.",
        "You are not on staff at this school. Request access at the school you are assigned to.",
        "Please complete this year's school system security training first, then request again.",
        "The Staff ID on your account does not match our records. Contact your school's data manager.",
        "This duplicates access you already requested at another school; one request per assignment, please.",
    ];

    public static readonly IReadOnlyList<string> SupervisorDenialReasons =
    [
        "IEP Forms access is limited to case managers. Your students' IEPs are written by their case manager.",
        "You are not assigned a caseload this year. Request Read-Only Viewer to see IEPs.",
        "Please request IEP Forms access once your special education certification is on file.",
    ];

    public static readonly IReadOnlyList<string> WithdrawalReasons =
    [
        "Requested the wrong school.",
        "Submitted twice by mistake.",
        "My duties changed before this was decided.",
        "Asked for the wrong role; requesting again.",
    ];

    public static readonly IReadOnlyList<(GrantEndReason Reason, string Note)> GrantEndings =
    [
        (GrantEndReason.DutiesChanged, "Moved from a school data entry position to the classroom."),
        (GrantEndReason.DutiesChanged, "No longer on the pupil appraisal team this year."),
        (GrantEndReason.Manual, "Access was granted at the wrong school; replaced by the correct grant."),
        (GrantEndReason.Manual, "Ended at the supervisor's request after a caseload change."),
    ];
}

internal sealed record RoleSpec(
    string Code, string Name, string Description, string[] Permissions, bool GrantsIepForms, RoleLevel Level);

internal sealed record TasRoleSpec(string Name, string? RoleCode, string? Permission);

/// <param name="Weight">How often the position is drawn among school-based staff.</param>
/// <param name="SerShare">The share of people in the position who held SER access in TAS.</param>
/// <param name="TasRoles">The TAS roles the position held, drawn uniformly.</param>
/// <param name="SecondSchoolShare">The share of people in the position who serve a second school.</param>
/// <param name="MayHoldUnmapped">Whether a few of them hold a TAS role that maps to nothing.</param>
internal sealed record PositionSpec(
    string Name, double Weight, double SerShare, string[] TasRoles, double SecondSchoolShare, bool MayHoldUnmapped = false);
