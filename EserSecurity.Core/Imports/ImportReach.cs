using System.Globalization;
using EserSecurity.Core.Security;

namespace EserSecurity.Core.Imports;

/// <summary>
/// How far an import's Staff IDs reach: a file resolves a Staff ID to a person of the staff directory only when the
/// person belongs to a school system the importer administers (state administrators reach everyone). A Staff ID beyond
/// that is "out of scope", and its row never shows the directory's name of the person.
/// </summary>
internal static class ImportReach
{
    /// <summary>Whether the importer may name the person whose directory record is in <paramref name="personSchoolSystemId"/>.</summary>
    public static bool Reaches(AccessScope scope, int? personSchoolSystemId) =>
        scope.IsStateAdministrator || (personSchoolSystemId is int id && scope.CanAdministerSchoolSystem(id));

    /// <summary>The reason on a row whose Staff ID is out of reach, without the person's name; <paramref name="consequence"/> says what happens to the row.</summary>
    public static string OutOfScope(string staffId, string consequence) =>
        string.Create(CultureInfo.InvariantCulture, $"Staff ID {staffId} belongs to a record outside the school systems you coordinate; {consequence}");
}
