using EserSecurity.Core.Roles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class EserRoleConfiguration : IEntityTypeConfiguration<EserRole>
{
    public void Configure(EntityTypeBuilder<EserRole> builder)
    {
        builder.Property(r => r.Code).HasMaxLength(EserRole.CodeMaxLength);
        builder.HasIndex(r => r.Code).IsUnique();
        builder.Property(r => r.Name).HasMaxLength(EserRole.NameMaxLength);
        builder.Property(r => r.Description).HasMaxLength(EserRole.DescriptionMaxLength);
        builder.Property(r => r.Permissions).HasMaxLength(EserRole.PermissionsMaxLength);
    }
}
