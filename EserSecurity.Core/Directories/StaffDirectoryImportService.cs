using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

#pragma warning disable CS9113 // The body comes in the next commit; the shape is published first.
namespace EserSecurity.Core.Directories;

/// <summary>
/// Imports the state's staff directory extract (keyed by the eScholar Staff ID). A preview says what every row would do
/// without writing; the commit reads the file again, checks it again inside its write transaction and writes all of it
/// or nothing. The same file twice changes nothing. State administrators import for any school system, district
/// coordinators for the school systems they coordinate.
/// </summary>
public sealed class StaffDirectoryImportService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    /// <summary>The largest file the import reads, in bytes; an upload page limits its file to this.</summary>
    public const int MaxFileBytes = Imports.CsvImportFile.MaxFileBytes;

    /// <summary>The columns a staff file must have, in any order and case.</summary>
    public static IReadOnlyList<string> RequiredHeaders => StaffDirectoryFile.Layout.RequiredHeaders;

    /// <summary>The optional columns a staff file may have.</summary>
    public static IReadOnlyList<string> OptionalHeaders => StaffDirectoryFile.Layout.OptionalHeaders;

    /// <summary>What committing the file would do, row by row, and who is not in it; writes nothing.</summary>
    /// <exception cref="Imports.ImportFileFormatException">The file is empty, lacks required headers or is too large.</exception>
    /// <exception cref="ScopeDeniedException">The caller is neither a state administrator nor a district coordinator.</exception>
    public Task<DirectoryImportPreview> PreviewAsync(
        Caller caller, Stream file, IProgress<DirectoryImportProgress>? progress = null, CancellationToken ct = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Writes the file in one transaction: new people, changed records, directory changes, and one audit event.
    /// Cancelled or failed, it leaves the database as it was.
    /// </summary>
    /// <exception cref="DirectoryImportRefusedException">The file has blocking rows; its preview lists them.</exception>
    public Task<DirectoryImportResult> CommitAsync(
        Caller caller, Stream file, StaffImportOptions? options = null, IProgress<DirectoryImportProgress>? progress = null,
        CancellationToken ct = default) =>
        throw new NotImplementedException();
}
