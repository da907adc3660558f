using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignOnLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LinkRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Issuer = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ClaimedStaffId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolId = table.Column<int>(type: "INTEGER", nullable: true),
                    FiledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DecidedById = table.Column<int>(type: "INTEGER", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RefusalReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    SeenByRequester = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LinkRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LinkRequests_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LinkRequests_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SignInSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Issuer = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInSessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SignOnIdentities",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Issuer = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    LinkedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LinkedById = table.Column<int>(type: "INTEGER", nullable: true),
                    LinkedHow = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignOnIdentities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SignOnIdentities_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LinkRequests_Account",
                table: "LinkRequests",
                columns: new[] { "Issuer", "Subject" });

            migrationBuilder.CreateIndex(
                name: "IX_LinkRequests_OnePendingPerAccount",
                table: "LinkRequests",
                columns: new[] { "Issuer", "Subject" },
                unique: true,
                filter: "\"State\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_LinkRequests_SchoolId",
                table: "LinkRequests",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_LinkRequests_SchoolSystemId",
                table: "LinkRequests",
                column: "SchoolSystemId");

            migrationBuilder.CreateIndex(
                name: "IX_LinkRequests_State_SchoolSystemId_FiledAt",
                table: "LinkRequests",
                columns: new[] { "State", "SchoolSystemId", "FiledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SignInSessions_Issuer_Subject",
                table: "SignInSessions",
                columns: new[] { "Issuer", "Subject" });

            migrationBuilder.CreateIndex(
                name: "IX_SignOnIdentities_Issuer_Subject",
                table: "SignOnIdentities",
                columns: new[] { "Issuer", "Subject" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SignOnIdentities_StaffMemberId_Issuer",
                table: "SignOnIdentities",
                columns: new[] { "StaffMemberId", "Issuer" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LinkRequests");

            migrationBuilder.DropTable(
                name: "SignInSessions");

            migrationBuilder.DropTable(
                name: "SignOnIdentities");
        }
    }
}
