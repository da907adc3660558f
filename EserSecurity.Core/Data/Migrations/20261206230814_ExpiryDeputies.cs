using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExpiryDeputies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FollowUp",
                table: "LinkRequests",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<long>(
                name: "FollowedUpAt",
                table: "LinkRequests",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxDurationDays",
                table: "EserRoles",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "OnBehalfOfId",
                table: "AccessRequestSteps",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "GrantEndsOn",
                table: "AccessRequests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RenewsGrantId",
                table: "AccessRequests",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StageSince",
                table: "AccessRequests",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // A pending request waits at its stage since its latest step.
            migrationBuilder.Sql(
                "UPDATE AccessRequests SET StageSince = COALESCE((SELECT MAX(s.At) FROM AccessRequestSteps s WHERE s.AccessRequestId = AccessRequests.Id), SubmittedAt);");

            migrationBuilder.AddColumn<DateOnly>(
                name: "EndsOn",
                table: "AccessGrants",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpiryWarnedFor",
                table: "AccessGrants",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Deputyships",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AbsentId = table.Column<int>(type: "INTEGER", nullable: false),
                    DeputyId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    NamedById = table.Column<int>(type: "INTEGER", nullable: false),
                    NamedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ApprovedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ApprovedById = table.Column<int>(type: "INTEGER", nullable: true),
                    CancelledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CancelledById = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Deputyships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Deputyships_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Deputyships_StaffMembers_AbsentId",
                        column: x => x.AbsentId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Deputyships_StaffMembers_ApprovedById",
                        column: x => x.ApprovedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Deputyships_StaffMembers_CancelledById",
                        column: x => x.CancelledById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Deputyships_StaffMembers_DeputyId",
                        column: x => x.DeputyId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Deputyships_StaffMembers_NamedById",
                        column: x => x.NamedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequestSteps_OnBehalfOfId",
                table: "AccessRequestSteps",
                column: "OnBehalfOfId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_RenewsGrantId",
                table: "AccessRequests",
                column: "RenewsGrantId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_EndedAt_EndsOn",
                table: "AccessGrants",
                columns: new[] { "EndedAt", "EndsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Deputyships_AbsentId_EndsOn",
                table: "Deputyships",
                columns: new[] { "AbsentId", "EndsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Deputyships_ApprovedById",
                table: "Deputyships",
                column: "ApprovedById");

            migrationBuilder.CreateIndex(
                name: "IX_Deputyships_CancelledById",
                table: "Deputyships",
                column: "CancelledById");

            migrationBuilder.CreateIndex(
                name: "IX_Deputyships_DeputyId_EndsOn",
                table: "Deputyships",
                columns: new[] { "DeputyId", "EndsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Deputyships_NamedById",
                table: "Deputyships",
                column: "NamedById");

            migrationBuilder.CreateIndex(
                name: "IX_Deputyships_SchoolSystemId_EndsOn",
                table: "Deputyships",
                columns: new[] { "SchoolSystemId", "EndsOn" });

            migrationBuilder.AddForeignKey(
                name: "FK_AccessRequests_AccessGrants_RenewsGrantId",
                table: "AccessRequests",
                column: "RenewsGrantId",
                principalTable: "AccessGrants",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessRequestSteps_StaffMembers_OnBehalfOfId",
                table: "AccessRequestSteps",
                column: "OnBehalfOfId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AccessRequests_AccessGrants_RenewsGrantId",
                table: "AccessRequests");

            migrationBuilder.DropForeignKey(
                name: "FK_AccessRequestSteps_StaffMembers_OnBehalfOfId",
                table: "AccessRequestSteps");

            migrationBuilder.DropTable(
                name: "Deputyships");

            migrationBuilder.DropIndex(
                name: "IX_AccessRequestSteps_OnBehalfOfId",
                table: "AccessRequestSteps");

            migrationBuilder.DropIndex(
                name: "IX_AccessRequests_RenewsGrantId",
                table: "AccessRequests");

            migrationBuilder.DropIndex(
                name: "IX_AccessGrants_EndedAt_EndsOn",
                table: "AccessGrants");

            migrationBuilder.DropColumn(
                name: "FollowUp",
                table: "LinkRequests");

            migrationBuilder.DropColumn(
                name: "FollowedUpAt",
                table: "LinkRequests");

            migrationBuilder.DropColumn(
                name: "MaxDurationDays",
                table: "EserRoles");

            migrationBuilder.DropColumn(
                name: "OnBehalfOfId",
                table: "AccessRequestSteps");

            migrationBuilder.DropColumn(
                name: "GrantEndsOn",
                table: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "RenewsGrantId",
                table: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "StageSince",
                table: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "EndsOn",
                table: "AccessGrants");

            migrationBuilder.DropColumn(
                name: "ExpiryWarnedFor",
                table: "AccessGrants");
        }
    }
}
