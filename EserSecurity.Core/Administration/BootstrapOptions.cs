using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Administration;

/// <summary>
/// What the console sets up by itself at startup. <see cref="StateAdministrator"/> is the Staff ID of the person made
/// the first state administrator on a database that has none; set it in configuration (<c>Bootstrap:StateAdministrator</c>)
/// or the environment (<c>Bootstrap__StateAdministrator</c>). Once a state administrator exists, it is ignored.
/// </summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Bootstrap";

    /// <summary>The configuration key, as the log and the README name it.</summary>
    public const string StateAdministratorKey = SectionName + ":" + nameof(StateAdministrator);

    /// <summary>The same key as an environment variable.</summary>
    public const string StateAdministratorEnvironmentVariable = SectionName + "__" + nameof(StateAdministrator);

    /// <summary>The eScholar Staff ID (<see cref="StaffMember.StaffId"/>) of the first state administrator.</summary>
    public string? StateAdministrator { get; set; }
}
