using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Postgres.Migrations
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
                    Number = table.Column<int>(type: "integer", nullable: false),
                    FileName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Cutoff = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordCount = table.Column<int>(type: "integer", nullable: false),
                    AuditEventCount = table.Column<int>(type: "integer", nullable: false),
                    FileSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    ManifestKeyedHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    PreviousManifestKeyedHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    AuditFirstSequence = table.Column<long>(type: "bigint", nullable: true),
                    AuditLastSequence = table.Column<long>(type: "bigint", nullable: true),
                    AuditLastHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    AuditLastKeyed = table.Column<bool>(type: "boolean", nullable: false)
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
