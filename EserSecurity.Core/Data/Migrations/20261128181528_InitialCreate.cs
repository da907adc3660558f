using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditChainHeads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditChainHeads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<int>(type: "INTEGER", nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    EntityType = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    EntityId = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: true),
                    Before = table.Column<string>(type: "TEXT", nullable: true),
                    After = table.Column<string>(type: "TEXT", nullable: true),
                    PreviousHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "EserRoles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Permissions = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    GrantsIepForms = table.Column<bool>(type: "INTEGER", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EserRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KeyDates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    On = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    StartsAt = table.Column<TimeOnly>(type: "TEXT", nullable: true),
                    EndsAt = table.Column<TimeOnly>(type: "TEXT", nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeyDates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SchoolSystems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Code = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PolicyAdoptedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    PolicyIncludesIepSecurity = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastAnnualTrainingOn = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SchoolSystems", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TasRoles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EserRoleId = table.Column<int>(type: "INTEGER", nullable: true),
                    EserPermission = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TasRoles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TasRoles_EserRoles_EserRoleId",
                        column: x => x.EserRoleId,
                        principalTable: "EserRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SchoolGroups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SchoolGroups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SchoolGroups_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Schools",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SiteCode = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 6, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Schools", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Schools_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "StaffMembers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Username = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    FirstName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LastName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: true),
                    Position = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EmploymentStatus = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    EmploymentEndedOn = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StaffMembers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StaffMembers_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SchoolGroupMembers",
                columns: table => new
                {
                    SchoolGroupId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SchoolGroupMembers", x => new { x.SchoolGroupId, x.SchoolId });
                    table.ForeignKey(
                        name: "FK_SchoolGroupMembers_SchoolGroups_SchoolGroupId",
                        column: x => x.SchoolGroupId,
                        principalTable: "SchoolGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SchoolGroupMembers_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AccessRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequesterId = table.Column<int>(type: "INTEGER", nullable: false),
                    EserRoleId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolId = table.Column<int>(type: "INTEGER", nullable: true),
                    Justification = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessRequests_EserRoles_EserRoleId",
                        column: x => x.EserRoleId,
                        principalTable: "EserRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessRequests_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessRequests_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessRequests_StaffMembers_RequesterId",
                        column: x => x.RequesterId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AccessReviews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DueOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedById = table.Column<int>(type: "INTEGER", nullable: false),
                    SignedOffAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SignedOffById = table.Column<int>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessReviews_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessReviews_StaffMembers_SignedOffById",
                        column: x => x.SignedOffById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessReviews_StaffMembers_StartedById",
                        column: x => x.StartedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CoordinatorAssignments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    Coverage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SchoolId = table.Column<int>(type: "INTEGER", nullable: true),
                    SchoolGroupId = table.Column<int>(type: "INTEGER", nullable: true),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedById = table.Column<int>(type: "INTEGER", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CoordinatorAssignments", x => x.Id);
                    table.CheckConstraint("CK_CoordinatorAssignment_Coverage", "(Coverage = 'SchoolSystem' AND SchoolId IS NULL AND SchoolGroupId IS NULL) OR (Coverage = 'School' AND SchoolId IS NOT NULL AND SchoolGroupId IS NULL) OR (Coverage = 'SchoolGroup' AND SchoolId IS NULL AND SchoolGroupId IS NOT NULL)");
                    table.ForeignKey(
                        name: "FK_CoordinatorAssignments_SchoolGroups_SchoolGroupId",
                        column: x => x.SchoolGroupId,
                        principalTable: "SchoolGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CoordinatorAssignments_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CoordinatorAssignments_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CoordinatorAssignments_StaffMembers_EndedById",
                        column: x => x.EndedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CoordinatorAssignments_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LegacySerAccess",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolId = table.Column<int>(type: "INTEGER", nullable: true),
                    TasRoleId = table.Column<int>(type: "INTEGER", nullable: false),
                    TasStatus = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegacySerAccess", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LegacySerAccess_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LegacySerAccess_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LegacySerAccess_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LegacySerAccess_TasRoles_TasRoleId",
                        column: x => x.TasRoleId,
                        principalTable: "TasRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "StaffSchools",
                columns: table => new
                {
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StaffSchools", x => new { x.StaffMemberId, x.SchoolId });
                    table.ForeignKey(
                        name: "FK_StaffSchools_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_StaffSchools_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "StateAdministrators",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StateAdministrators", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StateAdministrators_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "StatementVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchoolYear = table.Column<int>(type: "INTEGER", nullable: false),
                    VersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Acknowledgements = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PublishedById = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StatementVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StatementVersions_StaffMembers_PublishedById",
                        column: x => x.PublishedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SupervisorAssignments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedById = table.Column<int>(type: "INTEGER", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisorAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupervisorAssignments_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupervisorAssignments_StaffMembers_EndedById",
                        column: x => x.EndedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupervisorAssignments_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AccessGrants",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    EserRoleId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolId = table.Column<int>(type: "INTEGER", nullable: true),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AccessRequestId = table.Column<int>(type: "INTEGER", nullable: true),
                    GrantedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    GrantedById = table.Column<int>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedById = table.Column<int>(type: "INTEGER", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    EndNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessGrants_AccessRequests_AccessRequestId",
                        column: x => x.AccessRequestId,
                        principalTable: "AccessRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessGrants_EserRoles_EserRoleId",
                        column: x => x.EserRoleId,
                        principalTable: "EserRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessGrants_SchoolSystems_SchoolSystemId",
                        column: x => x.SchoolSystemId,
                        principalTable: "SchoolSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessGrants_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessGrants_StaffMembers_EndedById",
                        column: x => x.EndedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessGrants_StaffMembers_GrantedById",
                        column: x => x.GrantedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessGrants_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AccessRequestSteps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccessRequestId = table.Column<int>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    FromStatus = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ToStatus = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ActorId = table.Column<int>(type: "INTEGER", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRequestSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessRequestSteps_AccessRequests_AccessRequestId",
                        column: x => x.AccessRequestId,
                        principalTable: "AccessRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessRequestSteps_StaffMembers_ActorId",
                        column: x => x.ActorId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AssuranceSignatures",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffMemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    StatementVersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolYear = table.Column<int>(type: "INTEGER", nullable: false),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TypedName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Acknowledgements = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    TextHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    VerificationCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ClientAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssuranceSignatures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssuranceSignatures_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AssuranceSignatures_StatementVersions_StatementVersionId",
                        column: x => x.StatementVersionId,
                        principalTable: "StatementVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AccessReviewItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccessReviewId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccessGrantId = table.Column<int>(type: "INTEGER", nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DecidedById = table.Column<int>(type: "INTEGER", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessReviewItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessReviewItems_AccessGrants_AccessGrantId",
                        column: x => x.AccessGrantId,
                        principalTable: "AccessGrants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessReviewItems_AccessReviews_AccessReviewId",
                        column: x => x.AccessReviewId,
                        principalTable: "AccessReviews",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessReviewItems_StaffMembers_DecidedById",
                        column: x => x.DecidedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "AuditChainHeads",
                columns: new[] { "Id", "LastHash", "LastSequence" },
                values: new object[] { 1, "0000000000000000000000000000000000000000000000000000000000000000", 0L });

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_AccessRequestId",
                table: "AccessGrants",
                column: "AccessRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_EndedById",
                table: "AccessGrants",
                column: "EndedById");

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_EserRoleId",
                table: "AccessGrants",
                column: "EserRoleId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_GrantedById",
                table: "AccessGrants",
                column: "GrantedById");

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_SchoolId",
                table: "AccessGrants",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_SchoolSystemId_EndedAt",
                table: "AccessGrants",
                columns: new[] { "SchoolSystemId", "EndedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_StaffMemberId_EndedAt",
                table: "AccessGrants",
                columns: new[] { "StaffMemberId", "EndedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_EserRoleId",
                table: "AccessRequests",
                column: "EserRoleId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_RequesterId_Status",
                table: "AccessRequests",
                columns: new[] { "RequesterId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_SchoolId",
                table: "AccessRequests",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_SchoolSystemId",
                table: "AccessRequests",
                column: "SchoolSystemId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_Status_SchoolId_SubmittedAt",
                table: "AccessRequests",
                columns: new[] { "Status", "SchoolId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_Status_SchoolSystemId_SubmittedAt",
                table: "AccessRequests",
                columns: new[] { "Status", "SchoolSystemId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequestSteps_AccessRequestId",
                table: "AccessRequestSteps",
                column: "AccessRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequestSteps_ActorId",
                table: "AccessRequestSteps",
                column: "ActorId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessReviewItems_AccessGrantId",
                table: "AccessReviewItems",
                column: "AccessGrantId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessReviewItems_AccessReviewId_AccessGrantId",
                table: "AccessReviewItems",
                columns: new[] { "AccessReviewId", "AccessGrantId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccessReviewItems_DecidedById",
                table: "AccessReviewItems",
                column: "DecidedById");

            migrationBuilder.CreateIndex(
                name: "IX_AccessReviews_SchoolSystemId_Status",
                table: "AccessReviews",
                columns: new[] { "SchoolSystemId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessReviews_SignedOffById",
                table: "AccessReviews",
                column: "SignedOffById");

            migrationBuilder.CreateIndex(
                name: "IX_AccessReviews_StartedById",
                table: "AccessReviews",
                column: "StartedById");

            migrationBuilder.CreateIndex(
                name: "IX_AssuranceSignatures_StaffMemberId_SchoolYear",
                table: "AssuranceSignatures",
                columns: new[] { "StaffMemberId", "SchoolYear" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssuranceSignatures_StatementVersionId",
                table: "AssuranceSignatures",
                column: "StatementVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_AssuranceSignatures_VerificationCode",
                table: "AssuranceSignatures",
                column: "VerificationCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_EntityType_EntityId",
                table: "AuditEvents",
                columns: new[] { "EntityType", "EntityId" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_SchoolSystemId_Sequence",
                table: "AuditEvents",
                columns: new[] { "SchoolSystemId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_CoordinatorAssignments_EndedById",
                table: "CoordinatorAssignments",
                column: "EndedById");

            migrationBuilder.CreateIndex(
                name: "IX_CoordinatorAssignments_SchoolGroupId",
                table: "CoordinatorAssignments",
                column: "SchoolGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_CoordinatorAssignments_SchoolId",
                table: "CoordinatorAssignments",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_CoordinatorAssignments_SchoolSystemId_Coverage",
                table: "CoordinatorAssignments",
                columns: new[] { "SchoolSystemId", "Coverage" });

            migrationBuilder.CreateIndex(
                name: "IX_CoordinatorAssignments_StaffMemberId_EndsOn",
                table: "CoordinatorAssignments",
                columns: new[] { "StaffMemberId", "EndsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_EserRoles_Code",
                table: "EserRoles",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KeyDates_On",
                table: "KeyDates",
                column: "On");

            migrationBuilder.CreateIndex(
                name: "IX_LegacySerAccess_SchoolId",
                table: "LegacySerAccess",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_LegacySerAccess_SchoolSystemId",
                table: "LegacySerAccess",
                column: "SchoolSystemId");

            migrationBuilder.CreateIndex(
                name: "IX_LegacySerAccess_StaffMemberId_SchoolSystemId_SchoolId_TasRoleId",
                table: "LegacySerAccess",
                columns: new[] { "StaffMemberId", "SchoolSystemId", "SchoolId", "TasRoleId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LegacySerAccess_TasRoleId",
                table: "LegacySerAccess",
                column: "TasRoleId");

            migrationBuilder.CreateIndex(
                name: "IX_SchoolGroupMembers_SchoolId",
                table: "SchoolGroupMembers",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_SchoolGroups_SchoolSystemId_Name",
                table: "SchoolGroups",
                columns: new[] { "SchoolSystemId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Schools_SchoolSystemId",
                table: "Schools",
                column: "SchoolSystemId");

            migrationBuilder.CreateIndex(
                name: "IX_Schools_SiteCode",
                table: "Schools",
                column: "SiteCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SchoolSystems_Code",
                table: "SchoolSystems",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StaffMembers_SchoolSystemId_LastName_FirstName",
                table: "StaffMembers",
                columns: new[] { "SchoolSystemId", "LastName", "FirstName" });

            migrationBuilder.CreateIndex(
                name: "IX_StaffMembers_StaffId",
                table: "StaffMembers",
                column: "StaffId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StaffMembers_Username",
                table: "StaffMembers",
                column: "Username",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StaffSchools_SchoolId",
                table: "StaffSchools",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_StateAdministrators_StaffMemberId",
                table: "StateAdministrators",
                column: "StaffMemberId");

            migrationBuilder.CreateIndex(
                name: "IX_StatementVersions_PublishedById",
                table: "StatementVersions",
                column: "PublishedById");

            migrationBuilder.CreateIndex(
                name: "IX_StatementVersions_SchoolYear_VersionNumber",
                table: "StatementVersions",
                columns: new[] { "SchoolYear", "VersionNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SupervisorAssignments_EndedById",
                table: "SupervisorAssignments",
                column: "EndedById");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisorAssignments_SchoolSystemId",
                table: "SupervisorAssignments",
                column: "SchoolSystemId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisorAssignments_StaffMemberId_EndsOn",
                table: "SupervisorAssignments",
                columns: new[] { "StaffMemberId", "EndsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_TasRoles_EserRoleId",
                table: "TasRoles",
                column: "EserRoleId");

            migrationBuilder.CreateIndex(
                name: "IX_TasRoles_Name",
                table: "TasRoles",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessRequestSteps");

            migrationBuilder.DropTable(
                name: "AccessReviewItems");

            migrationBuilder.DropTable(
                name: "AssuranceSignatures");

            migrationBuilder.DropTable(
                name: "AuditChainHeads");

            migrationBuilder.DropTable(
                name: "AuditEvents");

            migrationBuilder.DropTable(
                name: "CoordinatorAssignments");

            migrationBuilder.DropTable(
                name: "KeyDates");

            migrationBuilder.DropTable(
                name: "LegacySerAccess");

            migrationBuilder.DropTable(
                name: "SchoolGroupMembers");

            migrationBuilder.DropTable(
                name: "StaffSchools");

            migrationBuilder.DropTable(
                name: "StateAdministrators");

            migrationBuilder.DropTable(
                name: "SupervisorAssignments");

            migrationBuilder.DropTable(
                name: "AccessGrants");

            migrationBuilder.DropTable(
                name: "AccessReviews");

            migrationBuilder.DropTable(
                name: "StatementVersions");

            migrationBuilder.DropTable(
                name: "TasRoles");

            migrationBuilder.DropTable(
                name: "SchoolGroups");

            migrationBuilder.DropTable(
                name: "AccessRequests");

            migrationBuilder.DropTable(
                name: "EserRoles");

            migrationBuilder.DropTable(
                name: "Schools");

            migrationBuilder.DropTable(
                name: "StaffMembers");

            migrationBuilder.DropTable(
                name: "SchoolSystems");
        }
    }
}
