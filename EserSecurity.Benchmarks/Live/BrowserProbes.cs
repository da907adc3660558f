using Microsoft.Playwright;

namespace EserSecurity.Benchmarks.Live;

/// <summary>
/// Scripts that take timestamps inside the browser with <c>Date.now()</c>: every page of one browser (and the console on
/// the same machine) reads the same system clock, so times from different pages subtract.
/// </summary>
internal static class BrowserProbes
{
    /// <summary>
    /// In an observing page: false when no button has the label; otherwise arms <c>window.__eserRowGone</c>, which resolves
    /// to the time of the first DOM change after which no button has the label (the render that removed the row).
    /// </summary>
    public const string WatchRowGone = """
        label => {
            const present = () => [...document.querySelectorAll('button[aria-label]')].some(b => b.getAttribute('aria-label') === label);
            if (!present()) {
                return false;
            }
            window.__eserRowGone = new Promise(resolve => {
                const observer = new MutationObserver(() => {
                    if (!present()) {
                        const at = Date.now();
                        observer.disconnect();
                        resolve(at);
                    }
                });
                observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
            });
            return true;
        }
        """;

    /// <summary>
    /// In a page whose content should change: false when an element matching the selector already contains the text;
    /// otherwise arms <c>window.__eserShown</c>, which resolves to the time of the first DOM change after which one does
    /// (the render that brought it).
    /// </summary>
    public const string WatchShown = """
        ([selector, text]) => {
            const shown = () => [...document.querySelectorAll(selector)].some(e => e.textContent.includes(text));
            if (shown()) {
                return false;
            }
            window.__eserShown = new Promise(resolve => {
                const observer = new MutationObserver(() => {
                    if (shown()) {
                        const at = Date.now();
                        observer.disconnect();
                        resolve(at);
                    }
                });
                observer.observe(document.body, { childList: true, subtree: true, characterData: true });
            });
            return true;
        }
        """;

    /// <summary>
    /// Waits for the promise a watch armed (<c>window.__eserRowGone</c>, <c>__eserShown</c>, <c>__eserOutcome</c>), failing
    /// after the given milliseconds with the message given.
    /// </summary>
    public const string Awaited = """
        ([name, timeoutMs, missing]) => Promise.race([
            window[name],
            new Promise((_, reject) => setTimeout(() => reject(new Error(`${missing} after ${timeoutMs} ms`)), timeoutMs)),
        ])
        """;

    /// <summary>
    /// In the deciding page, given the request panel's label and the decision button's label: false when the panel already
    /// shows an outcome. Otherwise arms <c>window.__eserClickAt</c>, which resolves to the time the click on the button is
    /// dispatched (a capturing listener on window, before Blazor's own handler sends it to the server), and
    /// <c>window.__eserOutcome</c>, which resolves to the time and text of the panel's decision outcome alert once rendered.
    /// </summary>
    public const string WatchDecision = """
        ([panelLabel, buttonLabel]) => {
            const outcome = () => [...document.querySelectorAll('[aria-label]')]
                .filter(e => e.getAttribute('aria-label') === panelLabel)
                .map(e => e.querySelector('[data-testid="decision-outcome"]'))
                .find(alert => alert);
            if (outcome()) {
                return false;
            }
            window.__eserClickAt = new Promise(resolve => window.addEventListener('click', e => {
                const button = e.target instanceof Element ? e.target.closest('button') : null;
                if (button && button.getAttribute('aria-label') === buttonLabel) {
                    resolve(Date.now());
                }
            }, { capture: true }));
            window.__eserOutcome = new Promise(resolve => {
                const observer = new MutationObserver(() => {
                    const alert = outcome();
                    if (alert) {
                        const at = Date.now();
                        observer.disconnect();
                        resolve({ at, text: alert.textContent.trim() });
                    }
                });
                observer.observe(document.body, { childList: true, subtree: true });
            });
            return true;
        }
        """;

    public const string ClickAt = "() => window.__eserClickAt";

    /// <summary>What <see cref="Awaited"/> resolves to for the promise of that name.</summary>
    public static Task<T> AwaitAsync<T>(IPage page, string name, int timeoutMs, string missing) =>
        page.EvaluateAsync<T>(Awaited, new object[] { name, timeoutMs, missing });
}
