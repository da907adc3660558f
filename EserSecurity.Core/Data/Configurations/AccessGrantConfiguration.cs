using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class AccessGrantConfiguration : IEntityTypeConfiguration<AccessGrant>
{
    public void Configure(EntityTypeBuilder<AccessGrant> builder)
    {
        builder.Property(g => g.EndNote).HasMaxLength(AccessGrant.EndNoteMaxLength);
        builder.Property(g => g.ConcurrencyToken).IsConcurrencyToken();
        builder.HasOne(g => g.StaffMember).WithMany().HasForeignKey(g => g.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(g => g.EserRole).WithMany().HasForeignKey(g => g.EserRoleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(g => g.SchoolSystem).WithMany().HasForeignKey(g => g.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(g => g.School).WithMany().HasForeignKey(g => g.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AccessRequest>().WithMany().HasForeignKey(g => g.AccessRequestId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(g => g.GrantedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(g => g.EndedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(g => new { g.StaffMemberId, g.EndedAt });
        builder.HasIndex(g => new { g.SchoolSystemId, g.EndedAt });
        // The expiry check and the expiring list read active grants by their end day.
        builder.HasIndex(g => new { g.EndedAt, g.EndsOn });
        builder.Ignore(g => g.IsActive);
    }
}
