using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class StateAdministratorEnding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AddedAt",
                table: "StateAdministrators",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AddedById",
                table: "StateAdministrators",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EndReason",
                table: "StateAdministrators",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EndedAt",
                table: "StateAdministrators",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EndedById",
                table: "StateAdministrators",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_StateAdministrators_AddedById",
                table: "StateAdministrators",
                column: "AddedById");

            migrationBuilder.CreateIndex(
                name: "IX_StateAdministrators_EndedById",
                table: "StateAdministrators",
                column: "EndedById");

            migrationBuilder.AddForeignKey(
                name: "FK_StateAdministrators_StaffMembers_AddedById",
                table: "StateAdministrators",
                column: "AddedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_StateAdministrators_StaffMembers_EndedById",
                table: "StateAdministrators",
                column: "EndedById",
                principalTable: "StaffMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_StateAdministrators_StaffMembers_AddedById",
                table: "StateAdministrators");

            migrationBuilder.DropForeignKey(
                name: "FK_StateAdministrators_StaffMembers_EndedById",
                table: "StateAdministrators");

            migrationBuilder.DropIndex(
                name: "IX_StateAdministrators_AddedById",
                table: "StateAdministrators");

            migrationBuilder.DropIndex(
                name: "IX_StateAdministrators_EndedById",
                table: "StateAdministrators");

            migrationBuilder.DropColumn(
                name: "AddedAt",
                table: "StateAdministrators");

            migrationBuilder.DropColumn(
                name: "AddedById",
                table: "StateAdministrators");

            migrationBuilder.DropColumn(
                name: "EndReason",
                table: "StateAdministrators");

            migrationBuilder.DropColumn(
                name: "EndedAt",
                table: "StateAdministrators");

            migrationBuilder.DropColumn(
                name: "EndedById",
                table: "StateAdministrators");
        }
    }
}
