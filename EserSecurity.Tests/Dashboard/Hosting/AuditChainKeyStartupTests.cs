using EserSecurity.Tests.Support;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Dashboard.Hosting;

public sealed class AuditChainKeyStartupTests
{
    [Fact]
    public async Task OutsideDevelopment_WithoutTheChainKey_TheConsoleRefusesToStart_SayingWhatToSet()
    {
        await using var host = new ConsoleHost("Production", new Dictionary<string, string?> { ["Audit:ChainKey"] = "" });

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains("set Audit:ChainKey (base64, at least 32 bytes)", error.Message);
    }

    [Fact]
    public async Task InDevelopment_TheConsoleKeepsAKeyOfItsOwnUnderAppData_AndTheChainVerifies()
    {
        await using var host = new ConsoleHost("Development");
        using var client = host.CreateClient();

        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var options = (IOptions<EserSecurity.Core.Audit.AuditOptions>)host.Services.GetService(typeof(IOptions<EserSecurity.Core.Audit.AuditOptions>))!;
        Assert.EndsWith(Path.Combine("App_Data", "audit-chain.key"), options.Value.ChainKeyFile);
        Assert.True(File.Exists(options.Value.ChainKeyFile));
    }
}
