using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RequestFollowUp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FollowUp",
                table: "AccessRequests",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                // Requests from before follow-ups were kept have had none.
                defaultValue: "None");

            migrationBuilder.AddColumn<long>(
                name: "FollowedUpAt",
                table: "AccessRequests",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FollowUp",
                table: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "FollowedUpAt",
                table: "AccessRequests");
        }
    }
}
