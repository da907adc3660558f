using EserSecurity.Core.Assurance;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Staff;

namespace EserSecurity.DemoState;

/// <summary>Confidentiality assurance statements and signatures, and the go-live calendar.</summary>
internal sealed partial class DemoStateBuilder
{
    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    ];

    /// <summary>
    /// The notice of the assurance reminder the school year has reached, as the console would have sent it to everyone
    /// with a role who has not signed: a new console starts without a burst of it, and the demo's bells show it.
    /// </summary>
    private void AddAssuranceNotices()
    {
        var (key, title) = AssuranceReminders.StageOn(_today, AssuranceRules.DefaultGraceDays);
        var year = SchoolYear.Containing(_today).StartYear;
        var signed = _data.AssuranceSignatures.Where(s => s.SchoolYear == year).Select(s => s.StaffMemberId).ToHashSet();
        var withRole = _data.AccessGrants.Where(g => g.EndedAt is null).Select(g => g.StaffMemberId).ToHashSet();
        foreach (var person in _data.StaffMembers.Where(s => s.EmploymentStatus == EmploymentStatus.Active && withRole.Contains(s.Id) && !signed.Contains(s.Id)))
        {
            _data.Notifications.Add(new Notification
            {
                Id = _data.Notifications.Count + 1, RecipientId = person.Id, Kind = NotificationKind.Assurance, Title = title, Link = "assurance/sign",
                Key = key, CreatedAt = _now, Mail = MailState.None,
            });
        }
    }

    private void AddAssurance()
    {
        var year = SchoolYear.Containing(_today);
        var lastYear = new SchoolYear(year.StartYear - 1);
        var previous = AddStatement(lastYear, At(lastYear.StartsOn, 13));
        var publishedAt = At(year.StartsOn, 13);
        var current = AddStatement(year, publishedAt < _now ? publishedAt : _now.AddMinutes(-30));
        var previousHash = SignedText.Hash(previous);
        var currentHash = SignedText.Hash(current);
        var previousEnd = At(lastYear.EndsOn, 22);

        foreach (var lea in _leas)
        {
            foreach (var person in lea.Staff)
            {
                if (person.IsDemo || !person.IsActive || !person.IsLinked)
                {
                    continue;
                }
                var signsThisYear = person.ActiveGrants.Count > 0 ? _random.Bool(0.6f)
                    : person.HasPendingRequest && _random.Bool(0.15f);
                if (signsThisYear)
                {
                    AddSignature(person, current, currentHash, Between(current.PublishedAt!.Value, _now));
                }
                else if (person.IepFormsRequestedAt is { } requestedAt)
                {
                    // IEP Forms is approved only for people who signed this year's statement: they signed before asking.
                    AddSignature(person, current, currentHash, Between(current.PublishedAt!.Value, requestedAt < _now ? requestedAt : _now));
                }
                if (person.Legacy.Count > 0 && _random.Bool(0.3f))
                {
                    AddSignature(person, previous, previousHash, Between(previous.PublishedAt!.Value, previousEnd));
                }
            }
        }
        foreach (var username in new[] { DemoPeople.DistrictCoordinator, DemoPeople.DistrictCoordinator2, DemoPeople.LocalCoordinator, DemoPeople.SpedSupervisor })
        {
            AddSignature(DemoPerson(username), current, currentHash, Between(current.PublishedAt!.Value, _now));
            AddSignature(DemoPerson(username), previous, previousHash, Between(previous.PublishedAt!.Value, previousEnd));
        }
        // staff.user signed last year's statement only: this year's is due.
        AddSignature(DemoPerson(DemoPeople.StaffUser), previous, previousHash, Between(previous.PublishedAt!.Value, previousEnd));
    }

    private StatementVersion AddStatement(SchoolYear year, DateTimeOffset publishedAt)
    {
        var version = new StatementVersion
        {
            Id = _data.StatementVersions.Count + 1,
            SchoolYear = year.StartYear,
            VersionNumber = 1,
            Title = DemoStatementText.Title(year),
            Body = DemoStatementText.Body(year),
            Acknowledgements = DemoStatementText.Acknowledgements,
            Status = StatementStatus.Published,
            PublishedAt = publishedAt,
            PublishedById = StateAdmin.Id,
        };
        _data.StatementVersions.Add(version);
        return version;
    }

    private void AddSignature(Person person, StatementVersion version, string textHash, DateTimeOffset signedAt)
    {
        _data.AssuranceSignatures.Add(new AssuranceSignature
        {
            Id = _data.AssuranceSignatures.Count + 1,
            StaffMemberId = person.Id,
            StatementVersionId = version.Id,
            SchoolYear = version.SchoolYear,
            SignedAt = signedAt,
            TypedName = person.Member.FullName,
            Acknowledgements = version.Acknowledgements,
            TextHash = textHash,
            VerificationCode = NewVerificationCode(),
            ClientAddress = $"10.{_random.Int(0, 255)}.{_random.Int(0, 255)}.{_random.Int(1, 254)}",
            UserAgent = Pick(UserAgents),
        });
    }

    /// <summary>A code in the console's own format, from the seeded random bytes so the demo state stays deterministic.</summary>
    private string NewVerificationCode()
    {
        while (true)
        {
            var code = VerificationCode.FromRandomBytes(_random.Bytes(VerificationCode.Length));
            if (_verificationCodes.Add(code))
            {
                return code;
            }
        }
    }

    private void AddKeyDates()
    {
        var goLive = NextMonday(_today.AddDays(35));
        AddKeyDate(KeyDateKind.GoLive, "Go-live: eSER opens in EdLink Security", goLive, null, null,
            "Users without an approved eSER role and permission in EdLink Security cannot reach eSER from this day. "
            + "SER data of the last seven years is in eSER; older data is archived and available on request. No data is purged.");
        for (var day = NextMonday(_today.AddDays(-21)); day <= goLive.AddDays(7); day = day.AddDays(7))
        {
            AddKeyDate(KeyDateKind.QaSession, "eSER go-live informational and Q&A session", day, new TimeOnly(14, 0), new TimeOnly(15, 0),
                "Weekly session for security coordinators and future eSER users. Attend, or send a school or school system representative who will pass the information on.");
        }
        AddKeyDate(KeyDateKind.DocumentRelease, "Security Coordinator Setup one-pager and TAS report instructions", _today.AddDays(-7), null, null,
            "How to set up security coordinators in EdLink Security, and how to pull the User Report by Application from TAS.");
        AddKeyDate(KeyDateKind.DocumentRelease, "eSER Gaining Access A–Z one-pager", _today.AddDays(4), null, null,
            "From sign-on account to Staff ID link, role request, approval and the confidentiality assurance.");
        AddKeyDate(KeyDateKind.Other, "School systems name their security coordinators", goLive.AddDays(-28), null, null,
            "Every school system needs at least one district security coordinator; it may add local coordinators for schools or groups of schools.");
        _data.KeyDates.Sort((a, b) => a.On.CompareTo(b.On));
        for (var i = 0; i < _data.KeyDates.Count; i++)
        {
            _data.KeyDates[i].Id = i + 1;
        }
    }

    private void AddKeyDate(KeyDateKind kind, string title, DateOnly on, TimeOnly? startsAt, TimeOnly? endsAt, string notes) =>
        _data.KeyDates.Add(new KeyDate { Kind = kind, Title = title, On = on, StartsAt = startsAt, EndsAt = endsAt, Notes = notes });

    private static DateOnly NextMonday(DateOnly day) => day.AddDays(((int)DayOfWeek.Monday - (int)day.DayOfWeek + 7) % 7);
}
