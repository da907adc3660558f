using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class DirectoryImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ClosedOn",
                table: "Schools",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DirectoryImports",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    FileSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    RowsRead = table.Column<int>(type: "INTEGER", nullable: false),
                    Created = table.Column<int>(type: "INTEGER", nullable: false),
                    Updated = table.Column<int>(type: "INTEGER", nullable: false),
                    Ended = table.Column<int>(type: "INTEGER", nullable: false),
                    MissingEnded = table.Column<int>(type: "INTEGER", nullable: false),
                    ImportedByStaffMemberId = table.Column<int>(type: "INTEGER", nullable: true),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectoryImports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DirectoryImports_StaffMembers_ImportedByStaffMemberId",
                        column: x => x.ImportedByStaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "StaffDirectoryChanges",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OldValue = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    NewValue = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    FromSchoolSystemId = table.Column<int>(type: "INTEGER", nullable: true),
                    ToSchoolSystemId = table.Column<int>(type: "INTEGER", nullable: true),
                    EffectiveOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DirectoryImportId = table.Column<int>(type: "INTEGER", nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StaffDirectoryChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StaffDirectoryChanges_DirectoryImports_DirectoryImportId",
                        column: x => x.DirectoryImportId,
                        principalTable: "DirectoryImports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_StaffDirectoryChanges_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryImports_ImportedAt",
                table: "DirectoryImports",
                column: "ImportedAt");

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryImports_ImportedByStaffMemberId",
                table: "DirectoryImports",
                column: "ImportedByStaffMemberId");

            migrationBuilder.CreateIndex(
                name: "IX_StaffDirectoryChanges_DirectoryImportId",
                table: "StaffDirectoryChanges",
                column: "DirectoryImportId");

            migrationBuilder.CreateIndex(
                name: "IX_StaffDirectoryChanges_StaffMemberId_EffectiveOn",
                table: "StaffDirectoryChanges",
                columns: new[] { "StaffMemberId", "EffectiveOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StaffDirectoryChanges");

            migrationBuilder.DropTable(
                name: "DirectoryImports");

            migrationBuilder.DropColumn(
                name: "ClosedOn",
                table: "Schools");
        }
    }
}
