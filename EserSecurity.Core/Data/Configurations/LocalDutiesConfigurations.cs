using EserSecurity.Core.LocalDuties;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class LocalPolicyDocumentConfiguration : IEntityTypeConfiguration<LocalPolicyDocument>
{
    public void Configure(EntityTypeBuilder<LocalPolicyDocument> builder)
    {
        builder.Property(d => d.FileName).HasMaxLength(LocalPolicyDocument.FileNameMaxLength);
        builder.HasOne<SchoolSystem>().WithMany().HasForeignKey(d => d.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(d => d.UploadedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.SchoolSystemId);
    }
}

internal sealed class LocalTrainingSessionConfiguration : IEntityTypeConfiguration<LocalTrainingSession>
{
    public void Configure(EntityTypeBuilder<LocalTrainingSession> builder)
    {
        builder.Property(s => s.Topic).HasMaxLength(LocalTrainingSession.TopicMaxLength);
        builder.HasOne<SchoolSystem>().WithMany().HasForeignKey(s => s.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(s => s.RecordedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.Attendees).WithOne().HasForeignKey(a => a.LocalTrainingSessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.SchoolSystemId, s.HeldOn });
    }
}

internal sealed class LocalTrainingAttendeeConfiguration : IEntityTypeConfiguration<LocalTrainingAttendee>
{
    public void Configure(EntityTypeBuilder<LocalTrainingAttendee> builder)
    {
        builder.HasKey(a => new { a.LocalTrainingSessionId, a.StaffMemberId });
        builder.HasOne(a => a.StaffMember).WithMany().HasForeignKey(a => a.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => a.StaffMemberId);
    }
}
