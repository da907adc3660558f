using EserSecurity.Core.KeyDates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EserSecurity.Core.Data.Configurations;

internal sealed class KeyDateConfiguration : IEntityTypeConfiguration<KeyDate>
{
    public void Configure(EntityTypeBuilder<KeyDate> builder)
    {
        builder.Property(k => k.Title).HasMaxLength(KeyDate.TitleMaxLength);
        builder.Property(k => k.Notes).HasMaxLength(KeyDate.NotesMaxLength);
        builder.HasIndex(k => k.On);
    }
}
