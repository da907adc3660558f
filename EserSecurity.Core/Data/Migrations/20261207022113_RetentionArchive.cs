using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetentionArchive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ArchiveBatches",
                columns: table => new
                {
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Cutoff = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordCount = table.Column<int>(type: "INTEGER", nullable: false),
                    AuditEventCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FileSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    ManifestKeyedHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    PreviousManifestKeyedHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    AuditFirstSequence = table.Column<long>(type: "INTEGER", nullable: true),
                    AuditLastSequence = table.Column<long>(type: "INTEGER", nullable: true),
                    AuditLastHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: true),
                    AuditLastKeyed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArchiveBatches", x => x.Number);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ArchiveBatches_FileName",
                table: "ArchiveBatches",
                column: "FileName",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ArchiveBatches");
        }
    }
}
