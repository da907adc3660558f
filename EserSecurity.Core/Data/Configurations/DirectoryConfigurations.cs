using EserSecurity.Core.Directories;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class DirectoryImportConfiguration : IEntityTypeConfiguration<DirectoryImport>
{
    public void Configure(EntityTypeBuilder<DirectoryImport> builder)
    {
        builder.Property(i => i.FileSha256).HasMaxLength(DirectoryImport.Sha256Length).IsFixedLength();
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(i => i.ImportedByStaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => i.ImportedAt);
    }
}

internal sealed class StaffDirectoryChangeConfiguration : IEntityTypeConfiguration<StaffDirectoryChange>
{
    public void Configure(EntityTypeBuilder<StaffDirectoryChange> builder)
    {
        builder.Property(c => c.OldValue).HasMaxLength(StaffDirectoryChange.ValueMaxLength);
        builder.Property(c => c.NewValue).HasMaxLength(StaffDirectoryChange.ValueMaxLength);
        builder.HasOne(c => c.StaffMember).WithMany().HasForeignKey(c => c.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DirectoryImport>().WithMany().HasForeignKey(c => c.DirectoryImportId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.StaffMemberId, c.EffectiveOn });
        builder.HasIndex(c => c.DirectoryImportId);
    }
}
