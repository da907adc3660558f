using EserSecurity.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.Title).HasMaxLength(Notification.TitleMaxLength);
        builder.Property(n => n.Link).HasMaxLength(Notification.LinkMaxLength);
        builder.Property(n => n.Key).HasMaxLength(Notification.KeyMaxLength);
        builder.Property(n => n.MailError).HasMaxLength(Notification.ErrorMaxLength);
        builder.HasOne(n => n.Recipient).WithMany().HasForeignKey(n => n.RecipientId).OnDelete(DeleteBehavior.Restrict);
        // The bell's unread count and the page's newest-first list.
        builder.HasIndex(n => new { n.RecipientId, n.ReadAt });
        // The mail sender's "what is due".
        builder.HasIndex(n => new { n.Mail, n.MailDueAt });
        // One notice per key and person; also finds whether a keyed notice (a yearly reminder) has gone at all.
        builder.HasIndex(n => new { n.Key, n.RecipientId }).IsUnique().HasFilter("\"Key\" IS NOT NULL");
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> builder)
    {
        builder.HasKey(p => new { p.StaffMemberId, p.Kind });
        builder.HasOne<Staff.StaffMember>().WithMany().HasForeignKey(p => p.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
