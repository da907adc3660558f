using EserSecurity.Core.Assurance;

namespace EserSecurity.Dashboard.Components.Pages.Assurance;

/// <summary>The statement text being written: the form edits it in place, and Core validates it when it is saved.</summary>
public sealed class StatementDraft
{
    public string Title { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>One a line, as Core stores them.</summary>
    public string Acknowledgements { get; set; } = "";

    public static StatementDraft From(StatementView version) => new()
    {
        Title = version.Title,
        Body = version.Body,
        Acknowledgements = string.Join('\n', version.Acknowledgements),
    };

    public StatementContent ToContent() => new(Title, Body, Acknowledgements);
}
