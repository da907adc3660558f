using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccessReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "IX_AccessReviewItems_SupervisorDecidedById",
                table: "AccessReviewItems",
                column: "SupervisorDecidedById");

            migrationBuilder.AddForeignKey(
                name: "FK_AccessReviewItems_StaffMembers_SupervisorDecidedById",
                table: "AccessReviewItems",
                column: "SupervisorDecidedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AccessReviewItems_StaffMembers_SupervisorDecidedById",
                table: "AccessReviewItems");

            migrationBuilder.DropIndex(
                name: "IX_AccessReviewItems_SupervisorDecidedById",
                table: "AccessReviewItems");

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
