using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyedAuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Keyed",
                table: "AuditEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "AuditVerifications",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestedById = table.Column<int>(type: "INTEGER", nullable: true),
                    IsIntact = table.Column<bool>(type: "INTEGER", nullable: false),
                    EventsChecked = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstBrokenSequence = table.Column<long>(type: "INTEGER", nullable: true),
                    Problem = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    HeadSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    HeadHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditVerifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditVerifications_StaffMembers_RequestedById",
                        column: x => x.RequestedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditVerifications_At",
                table: "AuditVerifications",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditVerifications_RequestedById",
                table: "AuditVerifications",
                column: "RequestedById");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditVerifications");

            migrationBuilder.DropColumn(
                name: "Keyed",
                table: "AuditEvents");
        }
    }
}
