using EserSecurity.Core.Provisioning;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class AccessDecisionChangeConfiguration : IEntityTypeConfiguration<AccessDecisionChange>
{
    public void Configure(EntityTypeBuilder<AccessDecisionChange> builder)
    {
        builder.Property(c => c.Reason).HasMaxLength(AccessDecisionChange.ReasonMaxLength);
        builder.HasOne(c => c.StaffMember).WithMany().HasForeignKey(c => c.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.AccessGrant).WithMany().HasForeignKey(c => c.AccessGrantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.StaffMemberId);
    }
}

internal sealed class DecisionTransitionConfiguration : IEntityTypeConfiguration<DecisionTransition>
{
    public void Configure(EntityTypeBuilder<DecisionTransition> builder)
    {
        builder.HasKey(t => t.Key);
        builder.Property(t => t.Key).HasMaxLength(DecisionTransition.KeyMaxLength);
    }
}

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> builder)
    {
        builder.Property(c => c.ClientId).HasMaxLength(ApiClient.ClientIdMaxLength);
        builder.Property(c => c.Name).HasMaxLength(ApiClient.NameMaxLength);
        builder.Property(c => c.Scopes).HasMaxLength(ApiClient.ScopesMaxLength);
        builder.Property(c => c.WebhookUrl).HasMaxLength(ApiClient.WebhookUrlMaxLength);
        builder.Property(c => c.WebhookSecret).HasMaxLength(ApiClient.SecretMaxLength);
        builder.Property(c => c.PreviousWebhookSecret).HasMaxLength(ApiClient.SecretMaxLength);
        builder.Property(c => c.LastError).HasMaxLength(ApiClient.ErrorMaxLength);
        builder.Property(c => c.ConcurrencyToken).IsConcurrencyToken();
        builder.HasIndex(c => c.ClientId).IsUnique();
        builder.HasOne<Staff.StaffMember>().WithMany().HasForeignKey(c => c.RegisteredById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff.StaffMember>().WithMany().HasForeignKey(c => c.RevokedById).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(c => c.IsActive);
    }
}
