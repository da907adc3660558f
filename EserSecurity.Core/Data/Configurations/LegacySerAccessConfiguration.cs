using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class LegacySerAccessConfiguration : IEntityTypeConfiguration<LegacySerAccess>
{
    public void Configure(EntityTypeBuilder<LegacySerAccess> builder)
    {
        builder.ToTable("LegacySerAccess");
        builder.Property(a => a.TasStatus).HasMaxLength(LegacySerAccess.StatusMaxLength);
        builder.HasOne(a => a.StaffMember).WithMany().HasForeignKey(a => a.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SchoolSystem>().WithMany().HasForeignKey(a => a.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.School).WithMany().HasForeignKey(a => a.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.TasRole).WithMany().HasForeignKey(a => a.TasRoleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.StaffMemberId, a.SchoolSystemId, a.SchoolId, a.TasRoleId }).IsUnique();
        // Covers the readiness counts: a school system's people (and their schools) with their TAS status, read from the
        // index alone, whether every school system is counted or only the few a change moved.
        builder.HasIndex(a => new { a.SchoolSystemId, a.StaffMemberId, a.TasStatus, a.SchoolId });
    }
}
