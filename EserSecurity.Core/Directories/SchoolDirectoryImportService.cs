using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

#pragma warning disable CS9113 // The body comes in the next commit; the shape is published first.
namespace EserSecurity.Core.Directories;

/// <summary>
/// Imports the state's school directory: school systems (LEA code and name) and their schools (site code, name, open or
/// closed). A closed school gets a closing date and is never deleted; reopening clears it. State administrators only.
/// </summary>
public sealed class SchoolDirectoryImportService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    public const int MaxFileBytes = Imports.CsvImportFile.MaxFileBytes;

    /// <summary>The columns a school file must have, in any order and case.</summary>
    public static IReadOnlyList<string> RequiredHeaders => SchoolDirectoryFile.Layout.RequiredHeaders;

    /// <summary>What committing the file would do, row by row; writes nothing.</summary>
    public Task<DirectoryImportPreview> PreviewAsync(
        Caller caller, Stream file, IProgress<DirectoryImportProgress>? progress = null, CancellationToken ct = default) =>
        throw new NotImplementedException();

    /// <summary>Writes the file in one transaction with one audit event; the same file again writes nothing.</summary>
    /// <exception cref="DirectoryImportRefusedException">The file has blocking rows; its preview lists them.</exception>
    public Task<DirectoryImportResult> CommitAsync(
        Caller caller, Stream file, IProgress<DirectoryImportProgress>? progress = null, CancellationToken ct = default) =>
        throw new NotImplementedException();
}
