using EserSecurity.Core.Coordinators;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class SchoolGroupMemberConfiguration : IEntityTypeConfiguration<SchoolGroupMember>
{
    public void Configure(EntityTypeBuilder<SchoolGroupMember> builder)
    {
        builder.HasKey(m => new { m.SchoolGroupId, m.SchoolId });
        builder.HasIndex(m => m.SchoolId);
        builder.HasOne(m => m.School).WithMany().HasForeignKey(m => m.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
