using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccessOverTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "PolicyDocumentId",
                table: "SchoolSystems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PolicyLink",
                table: "SchoolSystems",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "RemovalProcedureOn",
                table: "SchoolSystems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewCadence",
                table: "SchoolSystems",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "Annual");

            migrationBuilder.AddColumn<long>(
                name: "DefaultsAppliedAt",
                table: "AccessReviews",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SignedOffTypedName",
                table: "AccessReviews",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DefaultedAt",
                table: "AccessReviewItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "NeedsSupervisor",
                table: "AccessReviewItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "SupervisorDecidedAt",
                table: "AccessReviewItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SupervisorDecidedById",
                table: "AccessReviewItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SupervisorDecision",
                table: "AccessReviewItems",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "Undecided");

            migrationBuilder.AddColumn<string>(
                name: "SupervisorNote",
                table: "AccessReviewItems",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

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

            migrationBuilder.CreateTable(
                name: "LocalPolicyDocuments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UploadedById = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LocalPolicyDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LocalPolicyDocuments_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LocalPolicyDocuments_StaffMembers_UploadedById",
                        column: x => x.UploadedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LocalTrainingSessions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    HeldOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedById = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LocalTrainingSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LocalTrainingSessions_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LocalTrainingSessions_StaffMembers_RecordedById",
                        column: x => x.RecordedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

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

            migrationBuilder.CreateTable(
                name: "LocalTrainingAttendees",
                columns: table => new
                {
                    LocalTrainingSessionId = table.Column<int>(type: "INTEGER", nullable: false),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LocalTrainingAttendees", x => new { x.LocalTrainingSessionId, x.StaffMemberId });
                    table.ForeignKey(
                        name: "FK_LocalTrainingAttendees_LocalTrainingSessions_LocalTrainingSessionId",
                        column: x => x.LocalTrainingSessionId,
                        principalTable: "LocalTrainingSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LocalTrainingAttendees_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SchoolSystems_PolicyDocumentId",
                table: "SchoolSystems",
                column: "PolicyDocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessReviewItems_SupervisorDecidedById",
                table: "AccessReviewItems",
                column: "SupervisorDecidedById");

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

            migrationBuilder.CreateIndex(
                name: "IX_LocalPolicyDocuments_SchoolSystemId",
                table: "LocalPolicyDocuments",
                column: "SchoolSystemId");

            migrationBuilder.CreateIndex(
                name: "IX_LocalPolicyDocuments_UploadedById",
                table: "LocalPolicyDocuments",
                column: "UploadedById");

            migrationBuilder.CreateIndex(
                name: "IX_LocalTrainingAttendees_StaffMemberId",
                table: "LocalTrainingAttendees",
                column: "StaffMemberId");

            migrationBuilder.CreateIndex(
                name: "IX_LocalTrainingSessions_RecordedById",
                table: "LocalTrainingSessions",
                column: "RecordedById");

            migrationBuilder.CreateIndex(
                name: "IX_LocalTrainingSessions_SchoolSystemId_HeldOn",
                table: "LocalTrainingSessions",
                columns: new[] { "SchoolSystemId", "HeldOn" });

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

            migrationBuilder.AddForeignKey(
                name: "FK_AccessReviewItems_StaffMembers_SupervisorDecidedById",
                table: "AccessReviewItems",
                column: "SupervisorDecidedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_SchoolSystems_LocalPolicyDocuments_PolicyDocumentId",
                table: "SchoolSystems",
                column: "PolicyDocumentId",
                principalTable: "LocalPolicyDocuments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AccessReviewItems_StaffMembers_SupervisorDecidedById",
                table: "AccessReviewItems");

            migrationBuilder.DropForeignKey(
                name: "FK_SchoolSystems_LocalPolicyDocuments_PolicyDocumentId",
                table: "SchoolSystems");

            migrationBuilder.DropTable(
                name: "ChangeOfDutiesItems");

            migrationBuilder.DropTable(
                name: "LocalPolicyDocuments");

            migrationBuilder.DropTable(
                name: "LocalTrainingAttendees");

            migrationBuilder.DropTable(
                name: "SeparationExceptions");

            migrationBuilder.DropTable(
                name: "LocalTrainingSessions");

            migrationBuilder.DropIndex(
                name: "IX_SchoolSystems_PolicyDocumentId",
                table: "SchoolSystems");

            migrationBuilder.DropIndex(
                name: "IX_AccessReviewItems_SupervisorDecidedById",
                table: "AccessReviewItems");

            migrationBuilder.DropColumn(
                name: "PolicyDocumentId",
                table: "SchoolSystems");

            migrationBuilder.DropColumn(
                name: "PolicyLink",
                table: "SchoolSystems");

            migrationBuilder.DropColumn(
                name: "RemovalProcedureOn",
                table: "SchoolSystems");

            migrationBuilder.DropColumn(
                name: "ReviewCadence",
                table: "SchoolSystems");

            migrationBuilder.DropColumn(
                name: "DefaultsAppliedAt",
                table: "AccessReviews");

            migrationBuilder.DropColumn(
                name: "SignedOffTypedName",
                table: "AccessReviews");

            migrationBuilder.DropColumn(
                name: "DefaultedAt",
                table: "AccessReviewItems");

            migrationBuilder.DropColumn(
                name: "NeedsSupervisor",
                table: "AccessReviewItems");

            migrationBuilder.DropColumn(
                name: "SupervisorDecidedAt",
                table: "AccessReviewItems");

            migrationBuilder.DropColumn(
                name: "SupervisorDecidedById",
                table: "AccessReviewItems");

            migrationBuilder.DropColumn(
                name: "SupervisorDecision",
                table: "AccessReviewItems");

            migrationBuilder.DropColumn(
                name: "SupervisorNote",
                table: "AccessReviewItems");
        }
    }
}
