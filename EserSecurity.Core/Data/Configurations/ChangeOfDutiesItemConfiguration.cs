using EserSecurity.Core.Employment;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class ChangeOfDutiesItemConfiguration : IEntityTypeConfiguration<ChangeOfDutiesItem>
{
    public void Configure(EntityTypeBuilder<ChangeOfDutiesItem> builder)
    {
        builder.Property(i => i.Note).HasMaxLength(ChangeOfDutiesItem.NoteMaxLength);
        builder.Property(i => i.ConcurrencyToken).IsConcurrencyToken();
        builder.HasOne(i => i.AccessGrant).WithMany().HasForeignKey(i => i.AccessGrantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(i => i.StaffMember).WithMany().HasForeignKey(i => i.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(i => i.SchoolSystem).WithMany().HasForeignKey(i => i.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(i => i.School).WithMany().HasForeignKey(i => i.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(i => i.DecidedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => new { i.SchoolSystemId, i.Decision });
        builder.HasIndex(i => new { i.Decision, i.DecideBy });
        builder.HasIndex(i => i.AccessGrantId);
    }
}
