using EserSecurity.Core.Staff;

namespace EserSecurity.Tests.Core.Staff;

public sealed class StaffMemberTests
{
    [Theory]
    [InlineData("123456", true)]
    [InlineData("7389259130", true)]
    [InlineData("12345678901234567890", true)]
    [InlineData("12345", false)]
    [InlineData("123456789012345678901", false)]
    [InlineData("73892 59130", false)]
    [InlineData("Weaver", false)]
    [InlineData("7389259130a", false)]
    [InlineData("", false)]
    public void IsStaffId_IsSixToTwentyDigitsAndNothingElse(string text, bool isStaffId) =>
        Assert.Equal(isStaffId, StaffMember.IsStaffId(text));
}
