using EserSecurity.Core.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class ArchiveBatchConfiguration : IEntityTypeConfiguration<ArchiveBatch>
{
    public void Configure(EntityTypeBuilder<ArchiveBatch> builder)
    {
        builder.HasKey(b => b.Number);
        builder.Property(b => b.Number).ValueGeneratedNever();
        builder.Property(b => b.FileName).HasMaxLength(ArchiveBatch.FileNameMaxLength);
        builder.HasIndex(b => b.FileName).IsUnique();
        builder.Property(b => b.FileSha256).HasMaxLength(ArchiveBatch.HashLength).IsFixedLength();
        builder.Property(b => b.ManifestKeyedHash).HasMaxLength(ArchiveBatch.HashLength).IsFixedLength();
        builder.Property(b => b.PreviousManifestKeyedHash).HasMaxLength(ArchiveBatch.HashLength).IsFixedLength();
        builder.Property(b => b.AuditLastHash).HasMaxLength(ArchiveBatch.HashLength).IsFixedLength();
    }
}
