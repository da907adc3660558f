using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class SeparationExceptionConfiguration : IEntityTypeConfiguration<SeparationException>
{
    public void Configure(EntityTypeBuilder<SeparationException> builder)
    {
        builder.Property(e => e.Reason).HasMaxLength(SeparationException.ReasonMaxLength);
        builder.Property(e => e.EndReason).HasMaxLength(SeparationException.ReasonMaxLength);
        builder.HasOne(e => e.StaffMember).WithMany().HasForeignKey(e => e.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.SchoolSystem).WithMany().HasForeignKey(e => e.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(e => e.RecordedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(e => e.EndedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.SchoolSystemId, e.StaffMemberId, e.EndedAt });
    }
}
