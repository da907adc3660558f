using EserSecurity.Core.SchoolSystems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class SchoolConfiguration : IEntityTypeConfiguration<School>
{
    public void Configure(EntityTypeBuilder<School> builder)
    {
        builder.Property(s => s.SiteCode).HasMaxLength(School.SiteCodeLength).IsFixedLength();
        builder.HasIndex(s => s.SiteCode).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(School.NameMaxLength);
        builder.HasIndex(s => s.SchoolSystemId);
    }
}
