using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EserSecurity.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class NotificationKeyIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_RecipientId_Key",
                table: "Notifications");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_Key_RecipientId",
                table: "Notifications",
                columns: new[] { "Key", "RecipientId" },
                unique: true,
                filter: "\"Key\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_Key_RecipientId",
                table: "Notifications");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_RecipientId_Key",
                table: "Notifications",
                columns: new[] { "RecipientId", "Key" },
                unique: true,
                filter: "\"Key\" IS NOT NULL");
        }
    }
}
