using EserSecurity.Core.SchoolSystems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class SchoolSystemConfiguration : IEntityTypeConfiguration<SchoolSystem>
{
    public void Configure(EntityTypeBuilder<SchoolSystem> builder)
    {
        builder.Property(s => s.Code).HasMaxLength(SchoolSystem.CodeLength).IsFixedLength();
        builder.HasIndex(s => s.Code).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(SchoolSystem.NameMaxLength);
        builder.OwnsOne(s => s.SecurityPolicy, policy =>
        {
            policy.Property(p => p.WrittenPolicyAdoptedOn).HasColumnName("PolicyAdoptedOn");
            policy.Property(p => p.IncludesIepSecurity).HasColumnName("PolicyIncludesIepSecurity");
            policy.Property(p => p.LastAnnualTrainingOn).HasColumnName("LastAnnualTrainingOn");
            policy.Property(p => p.ReviewCadence).HasColumnName("ReviewCadence").HasDefaultValue(Reviews.AccessReviewKind.Annual);
            policy.Property(p => p.PolicyDocumentId).HasColumnName("PolicyDocumentId");
            policy.Property(p => p.PolicyLink).HasColumnName("PolicyLink").HasMaxLength(LocalDuties.LocalPolicyDocument.LinkMaxLength);
            policy.Property(p => p.RemovalProcedureOn).HasColumnName("RemovalProcedureOn");
            policy.HasOne<LocalDuties.LocalPolicyDocument>().WithMany().HasForeignKey(p => p.PolicyDocumentId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Navigation(s => s.SecurityPolicy).IsRequired();
        builder.HasMany(s => s.Schools).WithOne(s => s.SchoolSystem).HasForeignKey(s => s.SchoolSystemId)
            .OnDelete(DeleteBehavior.Restrict);
    }
}
