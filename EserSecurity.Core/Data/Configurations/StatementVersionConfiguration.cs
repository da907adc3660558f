using EserSecurity.Core.Assurance;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class StatementVersionConfiguration : IEntityTypeConfiguration<StatementVersion>
{
    public void Configure(EntityTypeBuilder<StatementVersion> builder)
    {
        builder.Property(v => v.Title).HasMaxLength(StatementVersion.TitleMaxLength);
        builder.Property(v => v.Body).HasMaxLength(StatementVersion.BodyMaxLength);
        builder.Property(v => v.Acknowledgements).HasMaxLength(StatementVersion.BodyMaxLength);
        builder.HasIndex(v => new { v.SchoolYear, v.VersionNumber }).IsUnique();
        builder.HasOne(v => v.PublishedBy).WithMany().HasForeignKey(v => v.PublishedById).OnDelete(DeleteBehavior.Restrict);
    }
}
