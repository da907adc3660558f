using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EserSecurity.Tests.Core.Audit;

/// <summary>
/// Watches every command and transaction of the contexts it is added to, and answers what a change must satisfy: every
/// transaction that wrote to a domain table and committed also inserted an audit event, and no domain table was written
/// outside a transaction. It sees what goes through EF's command pipeline: SaveChanges, ExecuteUpdate/ExecuteDelete and
/// raw SQL through EF. Commands made straight on the connection (RowInserter's bulk inserts) pass it by, but those refuse
/// to run outside the caller's transaction themselves.
/// </summary>
public sealed partial class AuditedWriteObserver
{
    /// <summary>
    /// Tables that are not audited domain data: the audit chain itself (its events, its head and the record of its checks)
    /// and the sign-in sessions and keys, whose starts and ends are security log events, not audit events.
    /// </summary>
    public static readonly IReadOnlySet<string> NotDomainTables = new HashSet<string>(StringComparer.Ordinal)
    {
        "AuditEvents", "AuditChainHeads", "AuditVerifications", "SignInSessions", "SignInKeys",
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<DbTransaction, ObservedTransaction> _open = new(ReferenceEqualityComparer.Instance);
    private readonly List<ObservedTransaction> _ended = [];
    private readonly List<string> _outsideTransactions = [];

    public AuditedWriteObserver() => Interceptors = [new Commands(this), new Transactions(this)];

    /// <summary>The interceptors to add to a context's options.</summary>
    public IReadOnlyList<IInterceptor> Interceptors { get; }

    /// <summary>Whether at least one committed transaction appended to the audit log: the operation did change something.</summary>
    public bool CommittedAnAuditEvent
    {
        get
        {
            lock (_gate)
            {
                return _ended.Any(t => t.Committed && t.Tables.Contains("AuditEvents"));
            }
        }
    }

    /// <summary>What broke the rule, one line per transaction or command; empty when every change was audited in its own transaction.</summary>
    public IReadOnlyList<string> Problems()
    {
        lock (_gate)
        {
            var problems = _outsideTransactions.Select(table => $"{table} was written outside a transaction.").ToList();
            foreach (var transaction in _ended.Where(t => t.Committed))
            {
                var domain = transaction.Tables.Where(t => !NotDomainTables.Contains(t)).Order(StringComparer.Ordinal).ToList();
                if (domain.Count > 0 && !transaction.Tables.Contains("AuditEvents"))
                {
                    problems.Add($"A transaction wrote {string.Join(", ", domain)} and committed without an audit event.");
                }
            }
            return problems;
        }
    }

    /// <summary>The tables a command writes: INSERT INTO, UPDATE and DELETE FROM, as EF and hand-written SQL spell them.</summary>
    internal static IEnumerable<string> WrittenTables(string sql) =>
        WriteStatement().Matches(sql).Select(m => m.Groups["table"].Value).Where(t => !t.Equals("SET", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("""\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+["`\[]?(?<table>\w+)""", RegexOptions.IgnoreCase)]
    private static partial Regex WriteStatement();

    private void Executed(DbCommand command)
    {
        var tables = WrittenTables(command.CommandText).ToList();
        if (tables.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            if (command.Transaction is not { } transaction)
            {
                _outsideTransactions.AddRange(tables.Where(t => !NotDomainTables.Contains(t)));
                return;
            }
            Open(transaction).Tables.UnionWith(tables);
        }
    }

    private ObservedTransaction Open(DbTransaction transaction)
    {
        if (!_open.TryGetValue(transaction, out var observed))
        {
            observed = new ObservedTransaction();
            _open[transaction] = observed;
        }
        return observed;
    }

    private void Started(DbTransaction transaction)
    {
        lock (_gate)
        {
            _open[transaction] = new ObservedTransaction();
        }
    }

    private void Ended(DbTransaction transaction, bool committed)
    {
        lock (_gate)
        {
            var observed = Open(transaction);
            _open.Remove(transaction);
            observed.Committed = committed;
            _ended.Add(observed);
        }
    }

    /// <summary>One transaction: the tables written in it and whether it committed. One that is disposed unended rolled back.</summary>
    private sealed class ObservedTransaction
    {
        public HashSet<string> Tables { get; } = new(StringComparer.Ordinal);

        public bool Committed { get; set; }
    }

    private sealed class Commands(AuditedWriteObserver observer) : DbCommandInterceptor
    {
        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            observer.Executed(command);
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            observer.Executed(command);
            return ValueTask.FromResult(result);
        }

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            observer.Executed(command);
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            observer.Executed(command);
            return ValueTask.FromResult(result);
        }

        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        {
            observer.Executed(command);
            return result;
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            observer.Executed(command);
            return ValueTask.FromResult(result);
        }
    }

    private sealed class Transactions(AuditedWriteObserver observer) : DbTransactionInterceptor
    {
        public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
        {
            observer.Started(result);
            return result;
        }

        public override ValueTask<DbTransaction> TransactionStartedAsync(
            DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            observer.Started(result);
            return ValueTask.FromResult(result);
        }

        public override DbTransaction TransactionUsed(DbConnection connection, TransactionEventData eventData, DbTransaction result)
        {
            observer.Started(result);
            return result;
        }

        public override ValueTask<DbTransaction> TransactionUsedAsync(
            DbConnection connection, TransactionEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            observer.Started(result);
            return ValueTask.FromResult(result);
        }

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => observer.Ended(transaction, committed: true);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            observer.Ended(transaction, committed: true);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => observer.Ended(transaction, committed: false);

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            observer.Ended(transaction, committed: false);
            return Task.CompletedTask;
        }
    }
}
