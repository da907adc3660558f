using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;

namespace EserSecurity.Tests.Support;

/// <summary>Records a school system's security policy as an editor would: from the version the school systems list shows.</summary>
public static class PolicySetup
{
    /// <summary>The policy's version as the state administrator's school systems list reads it.</summary>
    public static async Task<long> VersionAsync(TestDatabase database, TestState state, int schoolSystemId) =>
        (await database.Get<SchoolSystemService>().ListAsync(TestState.CallerFor(state.StateAdmin), null, false, 0, 500))
            .Items.Single(r => r.Id == schoolSystemId).PolicyVersion;

    /// <summary>Reads the version, then records the change as <paramref name="caller"/>.</summary>
    public static async Task UpdateAsync(TestDatabase database, TestState state, Caller caller, int schoolSystemId, SecurityPolicyChange change) =>
        await database.Get<SchoolSystemService>().UpdateSecurityPolicyAsync(caller, schoolSystemId,
            await VersionAsync(database, state, schoolSystemId), change);
}
