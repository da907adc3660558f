using EserSecurity.Core.Security;

namespace EserSecurity.Dashboard.Components.Shared.Imports;

/// <summary>The file an import page asks for: the input's label and id, its size limit and what to do when a file is larger.</summary>
/// <param name="TooLargeAdvice">Said after "the limit is N MB", for example "Export fewer school systems at a time."</param>
public sealed record ImportFileSpec(string Label, string InputId, int MaxBytes, string TooLargeAdvice)
{
    public int MaxMegabytes => MaxBytes / (1024 * 1024);
}

/// <summary>What a preview or a commit works on: who asks, the uploaded file, where to report progress, and when to stop.</summary>
public sealed record ImportWork<TProgress>(Caller Caller, UploadedFile File, IProgress<TProgress> Progress, CancellationToken Cancel)
{
    /// <summary>Hands Core a fresh read of the staged file and closes it once Core is done.</summary>
    public async Task<T> ReadFileAsync<T>(Func<Stream, Task<T>> read)
    {
        await using var stream = File.OpenRead();
        return await read(stream);
    }
}

/// <summary>What a commit did, in the page's words: the preview at commit time and the summary to show.</summary>
/// <param name="Changed">Whether anything was written; the summary then shows as a success, otherwise as information.</param>
public sealed record ImportOutcome<TPreview>(TPreview Preview, string Summary, bool Changed);

/// <summary>A refusal the page knows how to explain: the message, and the preview that explains it where there is one.</summary>
public sealed record ImportRefusal<TPreview>(string Message, TPreview? Preview = null) where TPreview : class;

/// <summary>One progress report as the person reads it.</summary>
/// <param name="Percent">How far the stage has got; null while that is unknown.</param>
/// <param name="EndsStage">Whether this report ends its stage, so it is always shown.</param>
public sealed record ImportProgressText(string Stage, double? Percent, bool EndsStage);

/// <summary>The preview shown for review, whether it may be committed now, and the commit itself.</summary>
/// <param name="CommitDisabled">True while something runs, once this preview is committed, or without a file.</param>
public sealed record ImportReview<TPreview>(TPreview Preview, bool CommitDisabled, Func<Task> CommitAsync);
