using EserSecurity.Core.AccessRequests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class AccessRequestStepConfiguration : IEntityTypeConfiguration<AccessRequestStep>
{
    public void Configure(EntityTypeBuilder<AccessRequestStep> builder)
    {
        builder.Property(s => s.Reason).HasMaxLength(AccessRequest.ReasonMaxLength);
        builder.HasOne(s => s.Actor).WithMany().HasForeignKey(s => s.ActorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.OnBehalfOf).WithMany().HasForeignKey(s => s.OnBehalfOfId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => s.AccessRequestId);
    }
}
