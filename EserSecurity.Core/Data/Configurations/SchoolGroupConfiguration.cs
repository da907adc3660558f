using EserSecurity.Core.Coordinators;
using EserSecurity.Core.SchoolSystems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class SchoolGroupConfiguration : IEntityTypeConfiguration<SchoolGroup>
{
    public void Configure(EntityTypeBuilder<SchoolGroup> builder)
    {
        builder.Property(g => g.Name).HasMaxLength(SchoolGroup.NameMaxLength);
        builder.HasIndex(g => new { g.SchoolSystemId, g.Name }).IsUnique();
        builder.HasOne<SchoolSystem>().WithMany().HasForeignKey(g => g.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.SchoolGroupId).OnDelete(DeleteBehavior.Restrict);
    }
}
