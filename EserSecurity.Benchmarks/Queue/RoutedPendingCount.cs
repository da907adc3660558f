using System.Globalization;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.Data.Sqlite;

namespace EserSecurity.Benchmarks.Queue;

/// <summary>
/// The floor for a queue read: a bare, prepared <c>SELECT COUNT(*)</c> of the requests waiting for a coordinator that are
/// routed to one person (their school systems or their schools, as <see cref="RequestRouting"/> routes), on an open connection.
/// </summary>
internal sealed class RoutedPendingCount : IDisposable
{
    private readonly SqliteCommand _command;

    private RoutedPendingCount(SqliteCommand command) => _command = command;

    public static RoutedPendingCount Prepare(SqliteConnection connection, AccessScope scope)
    {
        var command = connection.CreateCommand();
        var routes = new List<string>();
        if (scope.DistrictSchoolSystemIds.Count > 0)
        {
            routes.Add($"\"{nameof(AccessRequest.SchoolSystemId)}\" IN ({Parameters(command, "lea", scope.DistrictSchoolSystemIds)})");
        }
        if (scope.LocalSchoolIds.Count > 0)
        {
            routes.Add($"\"{nameof(AccessRequest.SchoolId)}\" IN ({Parameters(command, "school", scope.LocalSchoolIds)})");
        }
        if (routes.Count == 0)
        {
            throw new InvalidOperationException($"Staff member {scope.StaffMemberId} coordinates nothing.");
        }
        command.Parameters.AddWithValue("$status", nameof(AccessRequestStatus.PendingCoordinator));
        command.CommandText = $"SELECT COUNT(*) FROM \"{nameof(EserSecurityDbContext.AccessRequests)}\" " +
            $"WHERE \"{nameof(AccessRequest.Status)}\" = $status AND ({string.Join(" OR ", routes)})";
        command.Prepare();
        return new RoutedPendingCount(command);
    }

    public async Task<int> CountAsync(CancellationToken ct) =>
        Convert.ToInt32(await _command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);

    public void Dispose() => _command.Dispose();

    private static string Parameters(SqliteCommand command, string prefix, IEnumerable<int> ids) =>
        string.Join(", ", ids.Order().Select((id, i) =>
        {
            var name = $"${prefix}{i}";
            command.Parameters.AddWithValue(name, id);
            return name;
        }));
}
