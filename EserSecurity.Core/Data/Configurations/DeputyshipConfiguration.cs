using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class DeputyshipConfiguration : IEntityTypeConfiguration<Deputyship>
{
    public void Configure(EntityTypeBuilder<Deputyship> builder)
    {
        builder.Property(d => d.Note).HasMaxLength(Deputyship.NoteMaxLength);
        builder.HasOne(d => d.Absent).WithMany().HasForeignKey(d => d.AbsentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(d => d.Deputy).WithMany().HasForeignKey(d => d.DeputyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(d => d.SchoolSystem).WithMany().HasForeignKey(d => d.SchoolSystemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(d => d.NamedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(d => d.ApprovedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(d => d.CancelledById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.DeputyId, d.EndsOn });
        builder.HasIndex(d => new { d.AbsentId, d.EndsOn });
        builder.HasIndex(d => new { d.SchoolSystemId, d.EndsOn });
        builder.Ignore(d => d.LastDay);
    }
}
