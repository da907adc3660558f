using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class CoordinatorAssignmentConfiguration : IEntityTypeConfiguration<CoordinatorAssignment>
{
    public void Configure(EntityTypeBuilder<CoordinatorAssignment> builder)
    {
        builder.Property(a => a.EndReason).HasMaxLength(AccessRequests.AccessRequest.ReasonMaxLength);
        builder.HasOne(a => a.StaffMember).WithMany().HasForeignKey(a => a.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.SchoolSystem).WithMany().HasForeignKey(a => a.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.School).WithMany().HasForeignKey(a => a.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.SchoolGroup).WithMany().HasForeignKey(a => a.SchoolGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(a => a.EndedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.StaffMemberId, a.EndsOn });
        builder.HasIndex(a => new { a.SchoolSystemId, a.Coverage });
        builder.ToTable(t => t.HasCheckConstraint("CK_CoordinatorAssignment_Coverage",
            "(Coverage = 'SchoolSystem' AND SchoolId IS NULL AND SchoolGroupId IS NULL) OR " +
            "(Coverage = 'School' AND SchoolId IS NOT NULL AND SchoolGroupId IS NULL) OR " +
            "(Coverage = 'SchoolGroup' AND SchoolId IS NULL AND SchoolGroupId IS NOT NULL)"));
    }
}
