using EserSecurity.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.HasKey(e => e.Sequence);
        // The chain, not the database, numbers events: a gap must be detectable.
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.ActorName).HasMaxLength(AuditEvent.ActorNameMaxLength);
        builder.Property(e => e.Action).HasMaxLength(AuditEvent.ActionMaxLength);
        builder.Property(e => e.EntityType).HasMaxLength(AuditEvent.EntityTypeMaxLength);
        builder.Property(e => e.EntityId).HasMaxLength(AuditEvent.EntityIdMaxLength);
        builder.Property(e => e.PreviousHash).HasMaxLength(AuditEvent.HashLength).IsFixedLength();
        builder.Property(e => e.Hash).HasMaxLength(AuditEvent.HashLength).IsFixedLength();
        builder.HasIndex(e => new { e.SchoolSystemId, e.Sequence });
        builder.HasIndex(e => new { e.EntityType, e.EntityId });
        // The audit log's person and day filters.
        builder.HasIndex(e => e.ActorId);
        builder.HasIndex(e => e.At);
    }
}

internal sealed class AuditVerificationConfiguration : IEntityTypeConfiguration<AuditVerification>
{
    public void Configure(EntityTypeBuilder<AuditVerification> builder)
    {
        builder.Property(v => v.Problem).HasMaxLength(AuditVerification.ProblemMaxLength);
        builder.Property(v => v.HeadHash).HasMaxLength(AuditEvent.HashLength).IsFixedLength();
        builder.HasOne<Staff.StaffMember>().WithMany().HasForeignKey(v => v.RequestedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => v.At);
    }
}
