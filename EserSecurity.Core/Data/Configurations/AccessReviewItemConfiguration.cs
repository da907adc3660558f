using EserSecurity.Core.Reviews;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class AccessReviewItemConfiguration : IEntityTypeConfiguration<AccessReviewItem>
{
    public void Configure(EntityTypeBuilder<AccessReviewItem> builder)
    {
        builder.Property(i => i.Note).HasMaxLength(AccessReviewItem.NoteMaxLength);
        builder.HasOne(i => i.AccessGrant).WithMany().HasForeignKey(i => i.AccessGrantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(i => i.DecidedById).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.SupervisorNote).HasMaxLength(AccessReviewItem.NoteMaxLength);
        // Rows written before the supervisor's column existed read as undecided.
        builder.Property(i => i.SupervisorDecision).HasDefaultValue(AccessReviewDecision.Undecided);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(i => i.SupervisorDecidedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => new { i.AccessReviewId, i.AccessGrantId }).IsUnique();
    }
}
