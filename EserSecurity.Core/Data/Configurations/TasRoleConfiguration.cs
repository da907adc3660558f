using EserSecurity.Core.Roles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class TasRoleConfiguration : IEntityTypeConfiguration<TasRole>
{
    public void Configure(EntityTypeBuilder<TasRole> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(TasRole.NameMaxLength);
        builder.HasIndex(r => r.Name).IsUnique();
        builder.Property(r => r.EserPermission).HasMaxLength(EserRole.NameMaxLength);
        builder.HasOne(r => r.EserRole).WithMany().HasForeignKey(r => r.EserRoleId).OnDelete(DeleteBehavior.Restrict);
    }
}
