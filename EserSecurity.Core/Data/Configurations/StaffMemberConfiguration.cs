using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> builder)
    {
        builder.Property(s => s.StaffId).HasMaxLength(StaffMember.StaffIdMaxLength);
        builder.HasIndex(s => s.StaffId).IsUnique();
        builder.Property(s => s.Username).HasMaxLength(StaffMember.UsernameMaxLength);
        builder.HasIndex(s => s.Username).IsUnique();
        builder.Property(s => s.FirstName).HasMaxLength(StaffMember.NameMaxLength);
        builder.Property(s => s.LastName).HasMaxLength(StaffMember.NameMaxLength);
        builder.Property(s => s.Email).HasMaxLength(StaffMember.EmailMaxLength);
        builder.Property(s => s.Position).HasMaxLength(StaffMember.PositionMaxLength);
        builder.HasIndex(s => new { s.SchoolSystemId, s.LastName, s.FirstName });
        builder.HasOne(s => s.SchoolSystem).WithMany().HasForeignKey(s => s.SchoolSystemId)
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.Schools).WithOne().HasForeignKey(s => s.StaffMemberId)
            .OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(s => s.FullName);
    }
}
