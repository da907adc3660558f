using EserSecurity.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class SignOnIdentityConfiguration : IEntityTypeConfiguration<SignOnIdentity>
{
    public void Configure(EntityTypeBuilder<SignOnIdentity> builder)
    {
        builder.Property(i => i.Issuer).HasMaxLength(SignOnIdentity.IssuerMaxLength);
        builder.Property(i => i.Subject).HasMaxLength(SignOnIdentity.SubjectMaxLength);
        // One account, one person: sign-in finds the person by this pair alone.
        builder.HasIndex(i => new { i.Issuer, i.Subject }).IsUnique();
        builder.HasIndex(i => new { i.StaffMemberId, i.Issuer });
        builder.HasOne(i => i.StaffMember).WithMany().HasForeignKey(i => i.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SignInSessionConfiguration : IEntityTypeConfiguration<SignInSession>
{
    public void Configure(EntityTypeBuilder<SignInSession> builder)
    {
        builder.Property(s => s.Issuer).HasMaxLength(SignOnIdentity.IssuerMaxLength);
        builder.Property(s => s.Subject).HasMaxLength(SignOnIdentity.SubjectMaxLength);
        builder.Property(s => s.DisplayName).HasMaxLength(LinkRequest.DisplayNameMaxLength);
        builder.HasIndex(s => new { s.Issuer, s.Subject });
    }
}

internal sealed class LinkRequestConfiguration : IEntityTypeConfiguration<LinkRequest>
{
    public void Configure(EntityTypeBuilder<LinkRequest> builder)
    {
        builder.Property(r => r.Issuer).HasMaxLength(SignOnIdentity.IssuerMaxLength);
        builder.Property(r => r.Subject).HasMaxLength(SignOnIdentity.SubjectMaxLength);
        builder.Property(r => r.DisplayName).HasMaxLength(LinkRequest.DisplayNameMaxLength);
        builder.Property(r => r.ClaimedStaffId).HasMaxLength(Staff.StaffMember.StaffIdMaxLength);
        builder.Property(r => r.RefusalReason).HasMaxLength(LinkRequest.RefusalReasonMaxLength);
        builder.HasIndex(r => new { r.Issuer, r.Subject }, "IX_LinkRequests_Account");
        // One pending request per account.
        builder.HasIndex(r => new { r.Issuer, r.Subject }, "IX_LinkRequests_OnePendingPerAccount").IsUnique().HasFilter("\"State\" = 'Pending'");
        builder.HasIndex(r => new { r.State, r.SchoolSystemId, r.FiledAt });
        builder.HasOne(r => r.SchoolSystem).WithMany().HasForeignKey(r => r.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.School).WithMany().HasForeignKey(r => r.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SignInKeyConfiguration : IEntityTypeConfiguration<SignInKey>
{
    public void Configure(EntityTypeBuilder<SignInKey> builder)
    {
        builder.ToTable("SignInKeys");
        builder.Property(k => k.FriendlyName).HasMaxLength(SignInKey.FriendlyNameMaxLength);
    }
}
