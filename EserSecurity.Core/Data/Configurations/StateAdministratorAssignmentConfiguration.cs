using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class StateAdministratorAssignmentConfiguration : IEntityTypeConfiguration<StateAdministratorAssignment>
{
    public void Configure(EntityTypeBuilder<StateAdministratorAssignment> builder)
    {
        builder.ToTable("StateAdministrators");
        builder.Property(a => a.EndReason).HasMaxLength(AssignmentPeriods.EndReasonMaxLength);
        builder.HasOne(a => a.StaffMember).WithMany().HasForeignKey(a => a.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(a => a.AddedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(a => a.EndedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => a.StaffMemberId);
    }
}
