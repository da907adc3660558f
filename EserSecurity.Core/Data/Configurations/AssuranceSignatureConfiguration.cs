using EserSecurity.Core.Assurance;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class AssuranceSignatureConfiguration : IEntityTypeConfiguration<AssuranceSignature>
{
    public void Configure(EntityTypeBuilder<AssuranceSignature> builder)
    {
        builder.Property(s => s.TypedName).HasMaxLength(AssuranceSignature.TypedNameMaxLength);
        builder.Property(s => s.Acknowledgements).HasMaxLength(StatementVersion.BodyMaxLength);
        builder.Property(s => s.TextHash).HasMaxLength(64).IsFixedLength();
        builder.Property(s => s.VerificationCode).HasMaxLength(AssuranceSignature.VerificationCodeMaxLength);
        builder.Property(s => s.ClientAddress).HasMaxLength(AssuranceSignature.ClientAddressMaxLength);
        builder.Property(s => s.UserAgent).HasMaxLength(AssuranceSignature.UserAgentMaxLength);
        builder.HasIndex(s => s.VerificationCode).IsUnique();
        // One signature per person per school year, enforced by the database as well as the service.
        builder.HasIndex(s => new { s.StaffMemberId, s.SchoolYear }).IsUnique();
        builder.HasOne(s => s.StaffMember).WithMany().HasForeignKey(s => s.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.StatementVersion).WithMany().HasForeignKey(s => s.StatementVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
