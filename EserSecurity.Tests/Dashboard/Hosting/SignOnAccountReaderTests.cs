using System.Security.Claims;
using EserSecurity.Dashboard.Hosting;

namespace EserSecurity.Tests.Dashboard.Hosting;

public sealed class SignOnAccountReaderTests
{
    private const string Issuer = "https://sign-on.state.example/";
    private const string Tenant = "6f1c2a9e-0000-4000-8000-000000000001";

    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "token"));

    [Fact]
    public void OpenIdConnect_ReadsIssuerSubjectAndOnlyTheConfiguredTrustedClaims()
    {
        var options = new OpenIdConnectSignOnOptions { StaffIdClaim = "employee_id" };
        var token = Token(("sub", "abc"), ("name", "Renée Thibodeaux"), ("employee_id", " 1234567 "), ("preferred_username", "state.admin@anywhere"),
            ("email", "renee@school.example"), ("email_verified", "true"));

        var reading = SignOnAccountReader.ReadOpenIdConnect(token, Issuer, Issuer, options);

        Assert.Null(reading.Refusal);
        Assert.Equal(new(Issuer, "abc", "Renée Thibodeaux", "1234567", null), reading.Account);
    }

    [Fact]
    public void OpenIdConnect_WithoutAStaffIdClaimConfigured_TrustsNoStaffId()
    {
        var reading = SignOnAccountReader.ReadOpenIdConnect(Token(("sub", "abc"), ("employee_id", "1234567")), Issuer, Issuer, new());

        Assert.Null(reading.Account!.TrustedStaffId);
    }

    [Theory]
    [InlineData("true", "renee@school.example")]
    [InlineData("True", "renee@school.example")]
    [InlineData("false", null)]
    [InlineData("", null)]
    public void OpenIdConnect_TrustsAnEmail_OnlyWhenVerifiedAndConfigured(string verified, string? expected)
    {
        var options = new OpenIdConnectSignOnOptions { TrustVerifiedEmail = true };
        var claims = new List<(string, string)> { ("sub", "abc"), ("email", "renee@school.example") };
        if (verified.Length > 0)
        {
            claims.Add(("email_verified", verified));
        }

        var reading = SignOnAccountReader.ReadOpenIdConnect(Token([.. claims]), Issuer, Issuer, options);

        Assert.Equal(expected, reading.Account!.TrustedEmail);
    }

    [Fact]
    public void OpenIdConnect_VerifiedEmail_IsNotTrustedUnlessTheDeploymentSaysSo()
    {
        var reading = SignOnAccountReader.ReadOpenIdConnect(Token(("sub", "abc"), ("email", "a@b.example"), ("email_verified", "true")), Issuer, Issuer, new());

        Assert.Null(reading.Account!.TrustedEmail);
    }

    [Fact]
    public void OpenIdConnect_CustomClaimNames_AreRead()
    {
        var options = new OpenIdConnectSignOnOptions
        {
            SubjectClaim = "uid", DisplayNameClaim = "displayName", TrustVerifiedEmail = true, EmailClaim = "mail", EmailVerifiedClaim = "mail_ok",
        };

        var reading = SignOnAccountReader.ReadOpenIdConnect(Token(("uid", "u-9"), ("sub", "ignored"), ("displayName", "R T"), ("mail", "r@t.example"), ("mail_ok", "true")),
            Issuer, Issuer, options);

        Assert.Equal(new(Issuer, "u-9", "R T", null, "r@t.example"), reading.Account);
    }

    [Theory]
    [InlineData("https://other.example/")]
    [InlineData("https://sign-on.state.example")]
    [InlineData("")]
    public void OpenIdConnect_AnotherIssuer_IsRefused(string tokenIssuer)
    {
        var reading = SignOnAccountReader.ReadOpenIdConnect(Token(("sub", "abc")), tokenIssuer, Issuer, new());

        Assert.Equal(SignInRefusal.OtherIssuer, reading.Refusal);
        Assert.Null(reading.Account);
    }

    [Fact]
    public void OpenIdConnect_WithoutSubject_IsRefused()
    {
        var reading = SignOnAccountReader.ReadOpenIdConnect(Token(("preferred_username", "state.admin")), Issuer, Issuer, new());

        Assert.Equal(SignInRefusal.MissingSubject, reading.Refusal);
    }

    [Fact]
    public void AzureAd_IssuerIsTheTenantAndSubjectTheObjectId()
    {
        var options = new AzureAdSignOnOptions { TenantId = Tenant, StaffIdClaim = "employeeid" };

        var reading = SignOnAccountReader.ReadAzureAd(
            Token(("tid", Tenant.ToUpperInvariant()), ("oid", "object-1"), ("sub", "pairwise"), ("name", "Dana"), ("employeeid", "7654321"), ("preferred_username", "dana@x")),
            options);

        Assert.Equal(new(Tenant, "object-1", "Dana", "7654321", null), reading.Account);
    }

    [Fact]
    public void AzureAd_MappedClaimNames_AreReadToo()
    {
        var reading = SignOnAccountReader.ReadAzureAd(
            Token(("http://schemas.microsoft.com/identity/claims/tenantid", Tenant), ("http://schemas.microsoft.com/identity/claims/objectidentifier", "object-2")),
            new AzureAdSignOnOptions { TenantId = Tenant });

        Assert.Equal("object-2", reading.Account!.Subject);
    }

    [Fact]
    public void AzureAd_AnotherTenant_IsRefused()
    {
        var reading = SignOnAccountReader.ReadAzureAd(Token(("tid", "11111111-2222-3333-4444-555555555555"), ("oid", "o")), new AzureAdSignOnOptions { TenantId = Tenant });

        Assert.Equal(SignInRefusal.OtherIssuer, reading.Refusal);
    }

    [Fact]
    public void AzureAd_MultiTenant_AcceptsOnlyTheAllowedTenants()
    {
        var options = new AzureAdSignOnOptions { TenantId = "organizations", AllowedTenants = [Tenant] };

        Assert.NotNull(SignOnAccountReader.ReadAzureAd(Token(("tid", Tenant), ("oid", "o")), options).Account);
        Assert.Equal(SignInRefusal.OtherIssuer, SignOnAccountReader.ReadAzureAd(Token(("tid", "9188040d-6c67-4c5b-b112-36a304b66dad"), ("oid", "o")), options).Refusal);
        Assert.Equal(SignInRefusal.OtherIssuer, SignOnAccountReader.ReadAzureAd(Token(("oid", "o")), options).Refusal);
    }
}
