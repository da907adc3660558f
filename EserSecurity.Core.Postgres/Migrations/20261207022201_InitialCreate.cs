using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EserSecurity.Core.Postgres.Migrations
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
                    Id = table.Column<int>(type: "integer", nullable: false),
                    LastSequence = table.Column<long>(type: "bigint", nullable: false),
                    LastHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditChainHeads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<int>(type: "integer", nullable: true),
                    ActorName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    EntityType = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    EntityId = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: true),
                    Before = table.Column<string>(type: "text", nullable: true),
                    After = table.Column<string>(type: "text", nullable: true),
                    PreviousHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Keyed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "DecisionTransitions",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    People = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DecisionTransitions", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "EserRoles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Permissions = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    GrantsIepForms = table.Column<bool>(type: "boolean", nullable: false),
                    Level = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MaxDurationDays = table.Column<int>(type: "integer", nullable: true),
                    IsRetired = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EserRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KeyDates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    On = table.Column<DateOnly>(type: "date", nullable: false),
                    StartsAt = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    EndsAt = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    Notes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeyDates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SignInKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SignInSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Issuer = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInSessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TasRoles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EserRoleId = table.Column<int>(type: "integer", nullable: true),
                    EserPermission = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
                name: "AccessDecisionChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    AccessGrantId = table.Column<int>(type: "integer", nullable: true),
                    Reason = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessDecisionChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AccessGrants",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    EserRoleId = table.Column<int>(type: "integer", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    SchoolId = table.Column<int>(type: "integer", nullable: true),
                    Origin = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AccessRequestId = table.Column<int>(type: "integer", nullable: true),
                    GrantedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    GrantedById = table.Column<int>(type: "integer", nullable: true),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    ExpiryWarnedFor = table.Column<DateOnly>(type: "date", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedById = table.Column<int>(type: "integer", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    EndNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessGrants_EserRoles_EserRoleId",
                        column: x => x.EserRoleId,
                        principalTable: "EserRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AccessRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequesterId = table.Column<int>(type: "integer", nullable: false),
                    EserRoleId = table.Column<int>(type: "integer", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    SchoolId = table.Column<int>(type: "integer", nullable: true),
                    Justification = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StageSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    GrantEndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    RenewsGrantId = table.Column<int>(type: "integer", nullable: true),
                    FollowUp = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FollowedUpAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessRequests_AccessGrants_RenewsGrantId",
                        column: x => x.RenewsGrantId,
                        principalTable: "AccessGrants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccessRequests_EserRoles_EserRoleId",
                        column: x => x.EserRoleId,
                        principalTable: "EserRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AccessRequestSteps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AccessRequestId = table.Column<int>(type: "integer", nullable: false),
                    Action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FromStatus = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ToStatus = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ActorId = table.Column<int>(type: "integer", nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    OnBehalfOfId = table.Column<int>(type: "integer", nullable: true)
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
                });

            migrationBuilder.CreateTable(
                name: "AccessReviewItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AccessReviewId = table.Column<int>(type: "integer", nullable: false),
                    AccessGrantId = table.Column<int>(type: "integer", nullable: false),
                    Decision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DecidedById = table.Column<int>(type: "integer", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    NeedsSupervisor = table.Column<bool>(type: "boolean", nullable: false),
                    SupervisorDecision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false, defaultValue: "Undecided"),
                    SupervisorDecidedById = table.Column<int>(type: "integer", nullable: true),
                    SupervisorDecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SupervisorNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    DefaultedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                });

            migrationBuilder.CreateTable(
                name: "AccessReviews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedById = table.Column<int>(type: "integer", nullable: false),
                    SignedOffAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SignedOffById = table.Column<int>(type: "integer", nullable: true),
                    SignedOffTypedName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DefaultsAppliedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessReviews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ApiClients",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ClientId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Scopes = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RegisteredById = table.Column<int>(type: "integer", nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevokedById = table.Column<int>(type: "integer", nullable: true),
                    WebhookUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    WebhookSecret = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    PreviousWebhookSecret = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    PreviousSecretUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DeliveredThrough = table.Column<long>(type: "bigint", nullable: false),
                    FailedAttempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastDeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiClients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AssuranceSignatures",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    StatementVersionId = table.Column<int>(type: "integer", nullable: false),
                    SchoolYear = table.Column<int>(type: "integer", nullable: false),
                    SignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TypedName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Acknowledgements = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    TextHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    VerificationCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ClientAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssuranceSignatures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditVerifications",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RequestedById = table.Column<int>(type: "integer", nullable: true),
                    IsIntact = table.Column<bool>(type: "boolean", nullable: false),
                    EventsChecked = table.Column<long>(type: "bigint", nullable: false),
                    FirstBrokenSequence = table.Column<long>(type: "bigint", nullable: true),
                    Problem = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    HeadSequence = table.Column<long>(type: "bigint", nullable: false),
                    HeadHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditVerifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChangeOfDutiesItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AccessGrantId = table.Column<int>(type: "integer", nullable: false),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    SchoolId = table.Column<int>(type: "integer", nullable: false),
                    MovedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    ListedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecideBy = table.Column<DateOnly>(type: "date", nullable: false),
                    Decision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecidedById = table.Column<int>(type: "integer", nullable: true),
                    DecidedByDefault = table.Column<bool>(type: "boolean", nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "uuid", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "CoordinatorAssignments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    Coverage = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SchoolId = table.Column<int>(type: "integer", nullable: true),
                    SchoolGroupId = table.Column<int>(type: "integer", nullable: true),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedById = table.Column<int>(type: "integer", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CoordinatorAssignments", x => x.Id);
                    table.CheckConstraint("CK_CoordinatorAssignment_Coverage", "(\"Coverage\" = 'SchoolSystem' AND \"SchoolId\" IS NULL AND \"SchoolGroupId\" IS NULL) OR (\"Coverage\" = 'School' AND \"SchoolId\" IS NOT NULL AND \"SchoolGroupId\" IS NULL) OR (\"Coverage\" = 'SchoolGroup' AND \"SchoolId\" IS NULL AND \"SchoolGroupId\" IS NOT NULL)");
                });

            migrationBuilder.CreateTable(
                name: "Deputyships",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AbsentId = table.Column<int>(type: "integer", nullable: false),
                    DeputyId = table.Column<int>(type: "integer", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    NamedById = table.Column<int>(type: "integer", nullable: false),
                    NamedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ApprovedById = table.Column<int>(type: "integer", nullable: true),
                    CancelledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelledById = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Deputyships", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DirectoryImports",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FileSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    RowsRead = table.Column<int>(type: "integer", nullable: false),
                    Created = table.Column<int>(type: "integer", nullable: false),
                    Updated = table.Column<int>(type: "integer", nullable: false),
                    Ended = table.Column<int>(type: "integer", nullable: false),
                    MissingEnded = table.Column<int>(type: "integer", nullable: false),
                    ImportedByStaffMemberId = table.Column<int>(type: "integer", nullable: true),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectoryImports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegacySerAccess",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    SchoolId = table.Column<int>(type: "integer", nullable: true),
                    TasRoleId = table.Column<int>(type: "integer", nullable: false),
                    TasStatus = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegacySerAccess", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LegacySerAccess_TasRoles_TasRoleId",
                        column: x => x.TasRoleId,
                        principalTable: "TasRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LinkRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Issuer = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ClaimedStaffId = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    SchoolId = table.Column<int>(type: "integer", nullable: true),
                    FiledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DecidedById = table.Column<int>(type: "integer", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RefusalReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    FollowUp = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FollowedUpAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SeenByRequester = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LinkRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LocalPolicyDocuments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UploadedById = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LocalPolicyDocuments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SchoolSystems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Code = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PolicyAdoptedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    PolicyIncludesIepSecurity = table.Column<bool>(type: "boolean", nullable: false),
                    LastAnnualTrainingOn = table.Column<DateOnly>(type: "date", nullable: true),
                    ReviewCadence = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false, defaultValue: "Annual"),
                    PolicyDocumentId = table.Column<int>(type: "integer", nullable: true),
                    PolicyLink = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    RemovalProcedureOn = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SchoolSystems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SchoolSystems_LocalPolicyDocuments_PolicyDocumentId",
                        column: x => x.PolicyDocumentId,
                        principalTable: "LocalPolicyDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SchoolGroups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SiteCode = table.Column<string>(type: "character(6)", fixedLength: true, maxLength: 6, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    ClosedOn = table.Column<DateOnly>(type: "date", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StaffId = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Username = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    FirstName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LastName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: true),
                    Position = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EmploymentStatus = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    EmploymentEndedOn = table.Column<DateOnly>(type: "date", nullable: true)
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
                    SchoolGroupId = table.Column<int>(type: "integer", nullable: false),
                    SchoolId = table.Column<int>(type: "integer", nullable: false)
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
                name: "LocalTrainingSessions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    HeldOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Topic = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedById = table.Column<int>(type: "integer", nullable: false)
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
                name: "NotificationPreferences",
                columns: table => new
                {
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Delivery = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationPreferences", x => new { x.StaffMemberId, x.Kind });
                    table.ForeignKey(
                        name: "FK_NotificationPreferences_StaffMembers_StaffMemberId",
                        column: x => x.StaffMemberId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RecipientId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Link = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Mail = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MailDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    MailAttempts = table.Column<int>(type: "integer", nullable: false),
                    MailSentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    MailError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    MailClaim = table.Column<Guid>(type: "uuid", nullable: true),
                    MailClaimedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notifications_StaffMembers_RecipientId",
                        column: x => x.RecipientId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SeparationExceptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedById = table.Column<int>(type: "integer", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedById = table.Column<int>(type: "integer", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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
                name: "SignOnIdentities",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Issuer = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    LinkedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LinkedById = table.Column<int>(type: "integer", nullable: true),
                    LinkedHow = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
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

            migrationBuilder.CreateTable(
                name: "StaffDirectoryChanges",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    OldValue = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    NewValue = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    FromSchoolSystemId = table.Column<int>(type: "integer", nullable: true),
                    ToSchoolSystemId = table.Column<int>(type: "integer", nullable: true),
                    EffectiveOn = table.Column<DateOnly>(type: "date", nullable: false),
                    DirectoryImportId = table.Column<int>(type: "integer", nullable: true),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "StaffSchools",
                columns: table => new
                {
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    SchoolId = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AddedById = table.Column<int>(type: "integer", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedById = table.Column<int>(type: "integer", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StateAdministrators", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StateAdministrators_StaffMembers_AddedById",
                        column: x => x.AddedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_StateAdministrators_StaffMembers_EndedById",
                        column: x => x.EndedById,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchoolYear = table.Column<int>(type: "integer", nullable: false),
                    VersionNumber = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    Acknowledgements = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishedById = table.Column<int>(type: "integer", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false),
                    SchoolSystemId = table.Column<int>(type: "integer", nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedById = table.Column<int>(type: "integer", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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
                name: "LocalTrainingAttendees",
                columns: table => new
                {
                    LocalTrainingSessionId = table.Column<int>(type: "integer", nullable: false),
                    StaffMemberId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LocalTrainingAttendees", x => new { x.LocalTrainingSessionId, x.StaffMemberId });
                    table.ForeignKey(
                        name: "FK_LocalTrainingAttendees_LocalTrainingSessions_LocalTrainingS~",
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

            migrationBuilder.InsertData(
                table: "AuditChainHeads",
                columns: new[] { "Id", "LastHash", "LastSequence" },
                values: new object[] { 1, "0000000000000000000000000000000000000000000000000000000000000000", 0L });

            migrationBuilder.CreateIndex(
                name: "IX_AccessDecisionChanges_AccessGrantId",
                table: "AccessDecisionChanges",
                column: "AccessGrantId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessDecisionChanges_StaffMemberId",
                table: "AccessDecisionChanges",
                column: "StaffMemberId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_AccessRequestId",
                table: "AccessGrants",
                column: "AccessRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessGrants_EndedAt_EndsOn",
                table: "AccessGrants",
                columns: new[] { "EndedAt", "EndsOn" });

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
                name: "IX_AccessRequests_RenewsGrantId",
                table: "AccessRequests",
                column: "RenewsGrantId");

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
                name: "IX_AccessRequestSteps_OnBehalfOfId",
                table: "AccessRequestSteps",
                column: "OnBehalfOfId");

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
                name: "IX_AccessReviewItems_SupervisorDecidedById",
                table: "AccessReviewItems",
                column: "SupervisorDecidedById");

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
                name: "IX_ApiClients_ClientId",
                table: "ApiClients",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiClients_RegisteredById",
                table: "ApiClients",
                column: "RegisteredById");

            migrationBuilder.CreateIndex(
                name: "IX_ApiClients_RevokedById",
                table: "ApiClients",
                column: "RevokedById");

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
                name: "IX_AuditEvents_ActorId",
                table: "AuditEvents",
                column: "ActorId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_At",
                table: "AuditEvents",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_EntityType_EntityId",
                table: "AuditEvents",
                columns: new[] { "EntityType", "EntityId" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_SchoolSystemId_Sequence",
                table: "AuditEvents",
                columns: new[] { "SchoolSystemId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditVerifications_At",
                table: "AuditVerifications",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditVerifications_RequestedById",
                table: "AuditVerifications",
                column: "RequestedById");

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

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryImports_ImportedAt",
                table: "DirectoryImports",
                column: "ImportedAt");

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryImports_ImportedByStaffMemberId",
                table: "DirectoryImports",
                column: "ImportedByStaffMemberId");

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
                name: "IX_LegacySerAccess_StaffMemberId_SchoolSystemId_SchoolId_TasRo~",
                table: "LegacySerAccess",
                columns: new[] { "StaffMemberId", "SchoolSystemId", "SchoolId", "TasRoleId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LegacySerAccess_TasRoleId",
                table: "LegacySerAccess",
                column: "TasRoleId");

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
                name: "IX_Notifications_Key_RecipientId",
                table: "Notifications",
                columns: new[] { "Key", "RecipientId" },
                unique: true,
                filter: "\"Key\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_Mail_MailDueAt",
                table: "Notifications",
                columns: new[] { "Mail", "MailDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_RecipientId_ReadAt",
                table: "Notifications",
                columns: new[] { "RecipientId", "ReadAt" });

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
                name: "IX_SchoolSystems_PolicyDocumentId",
                table: "SchoolSystems",
                column: "PolicyDocumentId");

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

            migrationBuilder.CreateIndex(
                name: "IX_StaffDirectoryChanges_DirectoryImportId",
                table: "StaffDirectoryChanges",
                column: "DirectoryImportId");

            migrationBuilder.CreateIndex(
                name: "IX_StaffDirectoryChanges_StaffMemberId_EffectiveOn",
                table: "StaffDirectoryChanges",
                columns: new[] { "StaffMemberId", "EffectiveOn" });

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
                name: "IX_StateAdministrators_AddedById",
                table: "StateAdministrators",
                column: "AddedById");

            migrationBuilder.CreateIndex(
                name: "IX_StateAdministrators_EndedById",
                table: "StateAdministrators",
                column: "EndedById");

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

            migrationBuilder.AddForeignKey(
                name: "FK_AccessDecisionChanges_AccessGrants_AccessGrantId",
                table: "AccessDecisionChanges",
                column: "AccessGrantId",
                principalTable: "AccessGrants",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessDecisionChanges_StaffMembers_StaffMemberId",
                table: "AccessDecisionChanges",
                column: "StaffMemberId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessGrants_AccessRequests_AccessRequestId",
                table: "AccessGrants",
                column: "AccessRequestId",
                principalTable: "AccessRequests",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessGrants_SchoolSystems_SchoolSystemId",
                table: "AccessGrants",
                column: "SchoolSystemId",
                principalTable: "SchoolSystems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessGrants_Schools_SchoolId",
                table: "AccessGrants",
                column: "SchoolId",
                principalTable: "Schools",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessGrants_StaffMembers_EndedById",
                table: "AccessGrants",
                column: "EndedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessGrants_StaffMembers_GrantedById",
                table: "AccessGrants",
                column: "GrantedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessGrants_StaffMembers_StaffMemberId",
                table: "AccessGrants",
                column: "StaffMemberId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessRequests_SchoolSystems_SchoolSystemId",
                table: "AccessRequests",
                column: "SchoolSystemId",
                principalTable: "SchoolSystems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessRequests_Schools_SchoolId",
                table: "AccessRequests",
                column: "SchoolId",
                principalTable: "Schools",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessRequests_StaffMembers_RequesterId",
                table: "AccessRequests",
                column: "RequesterId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessRequestSteps_StaffMembers_ActorId",
                table: "AccessRequestSteps",
                column: "ActorId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessRequestSteps_StaffMembers_OnBehalfOfId",
                table: "AccessRequestSteps",
                column: "OnBehalfOfId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessReviewItems_AccessReviews_AccessReviewId",
                table: "AccessReviewItems",
                column: "AccessReviewId",
                principalTable: "AccessReviews",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessReviewItems_StaffMembers_DecidedById",
                table: "AccessReviewItems",
                column: "DecidedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessReviewItems_StaffMembers_SupervisorDecidedById",
                table: "AccessReviewItems",
                column: "SupervisorDecidedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessReviews_SchoolSystems_SchoolSystemId",
                table: "AccessReviews",
                column: "SchoolSystemId",
                principalTable: "SchoolSystems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessReviews_StaffMembers_SignedOffById",
                table: "AccessReviews",
                column: "SignedOffById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AccessReviews_StaffMembers_StartedById",
                table: "AccessReviews",
                column: "StartedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ApiClients_StaffMembers_RegisteredById",
                table: "ApiClients",
                column: "RegisteredById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ApiClients_StaffMembers_RevokedById",
                table: "ApiClients",
                column: "RevokedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AssuranceSignatures_StaffMembers_StaffMemberId",
                table: "AssuranceSignatures",
                column: "StaffMemberId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AssuranceSignatures_StatementVersions_StatementVersionId",
                table: "AssuranceSignatures",
                column: "StatementVersionId",
                principalTable: "StatementVersions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AuditVerifications_StaffMembers_RequestedById",
                table: "AuditVerifications",
                column: "RequestedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ChangeOfDutiesItems_SchoolSystems_SchoolSystemId",
                table: "ChangeOfDutiesItems",
                column: "SchoolSystemId",
                principalTable: "SchoolSystems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ChangeOfDutiesItems_Schools_SchoolId",
                table: "ChangeOfDutiesItems",
                column: "SchoolId",
                principalTable: "Schools",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ChangeOfDutiesItems_StaffMembers_DecidedById",
                table: "ChangeOfDutiesItems",
                column: "DecidedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ChangeOfDutiesItems_StaffMembers_StaffMemberId",
                table: "ChangeOfDutiesItems",
                column: "StaffMemberId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CoordinatorAssignments_SchoolGroups_SchoolGroupId",
                table: "CoordinatorAssignments",
                column: "SchoolGroupId",
                principalTable: "SchoolGroups",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CoordinatorAssignments_SchoolSystems_SchoolSystemId",
                table: "CoordinatorAssignments",
                column: "SchoolSystemId",
                principalTable: "SchoolSystems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CoordinatorAssignments_Schools_SchoolId",
                table: "CoordinatorAssignments",
                column: "SchoolId",
                principalTable: "Schools",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CoordinatorAssignments_StaffMembers_EndedById",
                table: "CoordinatorAssignments",
                column: "EndedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CoordinatorAssignments_StaffMembers_StaffMemberId",
                table: "CoordinatorAssignments",
                column: "StaffMemberId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Deputyships_SchoolSystems_SchoolSystemId",
                table: "Deputyships",
                column: "SchoolSystemId",
                principalTable: "SchoolSystems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Deputyships_StaffMembers_AbsentId",
                table: "Deputyships",
                column: "AbsentId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Deputyships_StaffMembers_ApprovedById",
                table: "Deputyships",
                column: "ApprovedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Deputyships_StaffMembers_CancelledById",
                table: "Deputyships",
                column: "CancelledById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Deputyships_StaffMembers_DeputyId",
                table: "Deputyships",
                column: "DeputyId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Deputyships_StaffMembers_NamedById",
                table: "Deputyships",
                column: "NamedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_DirectoryImports_StaffMembers_ImportedByStaffMemberId",
                table: "DirectoryImports",
                column: "ImportedByStaffMemberId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_LegacySerAccess_SchoolSystems_SchoolSystemId",
                table: "LegacySerAccess",
                column: "SchoolSystemId",
                principalTable: "SchoolSystems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_LegacySerAccess_Schools_SchoolId",
                table: "LegacySerAccess",
                column: "SchoolId",
                principalTable: "Schools",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_LegacySerAccess_StaffMembers_StaffMemberId",
                table: "LegacySerAccess",
                column: "StaffMemberId",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_LinkRequests_SchoolSystems_SchoolSystemId",
                table: "LinkRequests",
                column: "SchoolSystemId",
                principalTable: "SchoolSystems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_LinkRequests_Schools_SchoolId",
                table: "LinkRequests",
                column: "SchoolId",
                principalTable: "Schools",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_LocalPolicyDocuments_SchoolSystems_SchoolSystemId",
                table: "LocalPolicyDocuments",
                column: "SchoolSystemId",
                principalTable: "SchoolSystems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_LocalPolicyDocuments_StaffMembers_UploadedById",
                table: "LocalPolicyDocuments",
                column: "UploadedById",
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
                name: "FK_LocalPolicyDocuments_StaffMembers_UploadedById",
                table: "LocalPolicyDocuments");

            migrationBuilder.DropForeignKey(
                name: "FK_LocalPolicyDocuments_SchoolSystems_SchoolSystemId",
                table: "LocalPolicyDocuments");

            migrationBuilder.DropTable(
                name: "AccessDecisionChanges");

            migrationBuilder.DropTable(
                name: "AccessRequestSteps");

            migrationBuilder.DropTable(
                name: "AccessReviewItems");

            migrationBuilder.DropTable(
                name: "ApiClients");

            migrationBuilder.DropTable(
                name: "AssuranceSignatures");

            migrationBuilder.DropTable(
                name: "AuditChainHeads");

            migrationBuilder.DropTable(
                name: "AuditEvents");

            migrationBuilder.DropTable(
                name: "AuditVerifications");

            migrationBuilder.DropTable(
                name: "ChangeOfDutiesItems");

            migrationBuilder.DropTable(
                name: "CoordinatorAssignments");

            migrationBuilder.DropTable(
                name: "DecisionTransitions");

            migrationBuilder.DropTable(
                name: "Deputyships");

            migrationBuilder.DropTable(
                name: "KeyDates");

            migrationBuilder.DropTable(
                name: "LegacySerAccess");

            migrationBuilder.DropTable(
                name: "LinkRequests");

            migrationBuilder.DropTable(
                name: "LocalTrainingAttendees");

            migrationBuilder.DropTable(
                name: "NotificationPreferences");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "SchoolGroupMembers");

            migrationBuilder.DropTable(
                name: "SeparationExceptions");

            migrationBuilder.DropTable(
                name: "SignInKeys");

            migrationBuilder.DropTable(
                name: "SignInSessions");

            migrationBuilder.DropTable(
                name: "SignOnIdentities");

            migrationBuilder.DropTable(
                name: "StaffDirectoryChanges");

            migrationBuilder.DropTable(
                name: "StaffSchools");

            migrationBuilder.DropTable(
                name: "StateAdministrators");

            migrationBuilder.DropTable(
                name: "SupervisorAssignments");

            migrationBuilder.DropTable(
                name: "AccessReviews");

            migrationBuilder.DropTable(
                name: "StatementVersions");

            migrationBuilder.DropTable(
                name: "TasRoles");

            migrationBuilder.DropTable(
                name: "LocalTrainingSessions");

            migrationBuilder.DropTable(
                name: "SchoolGroups");

            migrationBuilder.DropTable(
                name: "DirectoryImports");

            migrationBuilder.DropTable(
                name: "AccessGrants");

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

            migrationBuilder.DropTable(
                name: "LocalPolicyDocuments");
        }
    }
}
