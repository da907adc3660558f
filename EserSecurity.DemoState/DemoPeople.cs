namespace EserSecurity.DemoState;

/// <summary>The demo people that always exist, for the README and the acceptance tests.</summary>
public static class DemoPeople
{
    public const string StateAdmin = "state.admin";
    public const string DistrictCoordinator = "district.coordinator";
    public const string DistrictCoordinator2 = "district.coordinator2";
    public const string LocalCoordinator = "local.coordinator";
    public const string SpedSupervisor = "sped.supervisor";
    public const string StaffUser = "staff.user";

    public static readonly IReadOnlyList<string> All =
        [StateAdmin, DistrictCoordinator, DistrictCoordinator2, LocalCoordinator, SpedSupervisor, StaffUser];
}
