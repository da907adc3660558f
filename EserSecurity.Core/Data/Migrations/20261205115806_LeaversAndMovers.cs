using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeaversAndMovers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ChangeOfDutiesItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccessGrantId = table.Column<int>(type: "INTEGER", nullable: false),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolId = table.Column<int>(type: "INTEGER", nullable: false),
                    MovedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ListedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecideBy = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedById = table.Column<int>(type: "INTEGER", nullable: true),
                    DecidedByDefault = table.Column<bool>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChangeOfDutiesItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChangeOfDutiesItems_AccessGrants_AccessGrantId",
                        column: x => x.AccessGrantId,
                        principalTable: "AccessGrants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ChangeOfDutiesItems_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ChangeOfDutiesItems_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ChangeOfDutiesItems_StaffMembers_DecidedById",
                        column: x => x.DecidedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ChangeOfDutiesItems_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChangeOfDutiesItems_AccessGrantId",
                table: "ChangeOfDutiesItems",
                column: "AccessGrantId");

            migrationBuilder.CreateIndex(
                name: "IX_ChangeOfDutiesItems_DecidedById",
                table: "ChangeOfDutiesItems",
                column: "DecidedById");

            migrationBuilder.CreateIndex(
                name: "IX_ChangeOfDutiesItems_Decision_DecideBy",
                table: "ChangeOfDutiesItems",
                columns: new[] { "Decision", "DecideBy" });

            migrationBuilder.CreateIndex(
                name: "IX_ChangeOfDutiesItems_SchoolId",
                table: "ChangeOfDutiesItems",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_ChangeOfDutiesItems_SchoolSystemId_Decision",
                table: "ChangeOfDutiesItems",
                columns: new[] { "SchoolSystemId", "Decision" });

            migrationBuilder.CreateIndex(
                name: "IX_ChangeOfDutiesItems_StaffMemberId",
                table: "ChangeOfDutiesItems",
                column: "StaffMemberId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChangeOfDutiesItems");
        }
    }
}
