using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class StaffSchoolConfiguration : IEntityTypeConfiguration<StaffSchool>
{
    public void Configure(EntityTypeBuilder<StaffSchool> builder)
    {
        builder.HasKey(s => new { s.StaffMemberId, s.SchoolId });
        builder.HasIndex(s => s.SchoolId);
        builder.HasOne(s => s.School).WithMany().HasForeignKey(s => s.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
