using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReadinessCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LegacySerAccess_SchoolSystemId",
                table: "LegacySerAccess");

            migrationBuilder.CreateIndex(
                name: "IX_LegacySerAccess_SchoolSystemId_StaffMemberId_TasStatus_Scho~",
                table: "LegacySerAccess",
                columns: new[] { "SchoolSystemId", "StaffMemberId", "TasStatus", "SchoolId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LegacySerAccess_SchoolSystemId_StaffMemberId_TasStatus_Scho~",
                table: "LegacySerAccess");

            migrationBuilder.CreateIndex(
                name: "IX_LegacySerAccess_SchoolSystemId",
                table: "LegacySerAccess",
                column: "SchoolSystemId");
        }
    }
}
