using EserSecurity.Core.AccessRequests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>
{
    public void Configure(EntityTypeBuilder<AccessRequest> builder)
    {
        builder.Property(r => r.Justification).HasMaxLength(AccessRequest.JustificationMaxLength);
        builder.Property(r => r.ConcurrencyToken).IsConcurrencyToken();
        builder.HasOne(r => r.Requester).WithMany().HasForeignKey(r => r.RequesterId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.EserRole).WithMany().HasForeignKey(r => r.EserRoleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.SchoolSystem).WithMany().HasForeignKey(r => r.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.School).WithMany().HasForeignKey(r => r.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.AccessRequestId).OnDelete(DeleteBehavior.Restrict);
        // Queues filter by status within a school system or school and sort by age.
        builder.HasIndex(r => new { r.Status, r.SchoolSystemId, r.SubmittedAt });
        builder.HasIndex(r => new { r.Status, r.SchoolId, r.SubmittedAt });
        builder.HasIndex(r => new { r.RequesterId, r.Status });
        builder.HasOne<Grants.AccessGrant>().WithMany().HasForeignKey(r => r.RenewsGrantId).OnDelete(DeleteBehavior.Restrict);
    }
}
