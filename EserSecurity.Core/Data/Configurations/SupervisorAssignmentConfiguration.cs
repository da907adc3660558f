using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class SupervisorAssignmentConfiguration : IEntityTypeConfiguration<SupervisorAssignment>
{
    public void Configure(EntityTypeBuilder<SupervisorAssignment> builder)
    {
        builder.Property(a => a.EndReason).HasMaxLength(AccessRequests.AccessRequest.ReasonMaxLength);
        builder.HasOne(a => a.StaffMember).WithMany().HasForeignKey(a => a.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.SchoolSystem).WithMany().HasForeignKey(a => a.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(a => a.EndedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.StaffMemberId, a.EndsOn });
        builder.HasIndex(a => a.SchoolSystemId);
    }
}
