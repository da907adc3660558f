using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EserSecurity.Core.Data;

/// <summary>
/// PostgreSQL's text cannot hold U+0000 and refuses a command that carries it, where SQLite simply finds nothing. No
/// stored text holds it either (every text field refuses control characters), so a search term that carries one is
/// sent with U+FFFD in its place: it still finds nobody, and the search answers instead of failing.
/// </summary>
internal sealed class PostgresTextInterceptor : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ReplaceNul(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ReplaceNul(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        ReplaceNul(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        ReplaceNul(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ReplaceNul(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ReplaceNul(command);
        return ValueTask.FromResult(result);
    }

    private static void ReplaceNul(DbCommand command)
    {
        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Value is string text && text.Contains('\0', StringComparison.Ordinal))
            {
                parameter.Value = text.Replace('\0', '\uFFFD');
            }
        }
    }
}
