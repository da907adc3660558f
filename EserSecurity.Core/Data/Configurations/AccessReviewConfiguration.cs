using EserSecurity.Core.Reviews;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class AccessReviewConfiguration : IEntityTypeConfiguration<AccessReview>
{
    public void Configure(EntityTypeBuilder<AccessReview> builder)
    {
        builder.HasOne(r => r.SchoolSystem).WithMany().HasForeignKey(r => r.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.StartedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.SignedOffById).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.Items).WithOne().HasForeignKey(i => i.AccessReviewId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.SignedOffTypedName).HasMaxLength(AccessReview.TypedNameMaxLength);
        builder.HasIndex(r => new { r.SchoolSystemId, r.Status });
    }
}
