using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SeparationOfDuties : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SeparationExceptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedById = table.Column<int>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedById = table.Column<int>(type: "INTEGER", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeparationExceptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SeparationExceptions_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SeparationExceptions_StaffMembers_EndedById",
                        column: x => x.EndedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SeparationExceptions_StaffMembers_RecordedById",
                        column: x => x.RecordedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SeparationExceptions_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SeparationExceptions_EndedById",
                table: "SeparationExceptions",
                column: "EndedById");

            migrationBuilder.CreateIndex(
                name: "IX_SeparationExceptions_RecordedById",
                table: "SeparationExceptions",
                column: "RecordedById");

            migrationBuilder.CreateIndex(
                name: "IX_SeparationExceptions_SchoolSystemId_StaffMemberId_EndedAt",
                table: "SeparationExceptions",
                columns: new[] { "SchoolSystemId", "StaffMemberId", "EndedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SeparationExceptions_StaffMemberId",
                table: "SeparationExceptions",
                column: "StaffMemberId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SeparationExceptions");
        }
    }
}
