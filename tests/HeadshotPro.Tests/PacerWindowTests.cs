using System.Globalization;
using HeadshotPro.Client;
using HeadshotPro.Client.Transport;

namespace HeadshotPro.Tests;

/// <summary>
/// The pacer at the edge of a window while the server's clock is known only to a second: answers from the server's next
/// window can arrive while the current one may still last. Found by a retry that landed on a 2-second window's reset.
/// </summary>
public class PacerWindowTests
{
    private static HttpResponseMessage Answer(int remaining, DateTime resetServerUtc)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        response.Headers.Add("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("X-RateLimit-Reset", resetServerUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        return response;
    }

    /// <summary>
    /// A pacer whose clock is known to within a second (the server's runs 0.09 s behind to 0.91 s ahead of ours), that
    /// learned a window with 2 left which reset a second ago on the server's clock, and then — while that window may still
    /// have lasted, as far as the clock can tell — got <paramref name="later"/> answers from the next window, the last
    /// saying nothing is left in it until 3 s from now.
    /// </summary>
    private static RateLimitPacer PacerAtTheReset(int later)
    {
        var now = DateTime.UtcNow;
        var second = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(-5);
        var clock = new ServerClock();
        clock.Observe(new DateTimeOffset(second), second.AddMilliseconds(900), second.AddMilliseconds(910));
        var pacer = new RateLimitPacer(clock);
        pacer.Observe(Answer(2, now.AddSeconds(-1)), now.AddSeconds(-3), ticket: 1);
        for (var i = 0; i < later; i++)
            pacer.Observe(Answer(later - 1 - i, now.AddSeconds(3)), now.AddSeconds(-2.5), ticket: 2 + i);
        return pacer;
    }

    [Fact(Timeout = Limits.Test)]
    public async Task At_the_reset_the_next_window_that_several_answers_told_of_holds_and_a_spent_one_is_waited_for()
    {
        var pacer = PacerAtTheReset(later: 3);
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => pacer.AcquireAsync(TimeSpan.Zero, null, default));
        Assert.Equal(ApiErrorKind.RateLimitRetriesExhausted, e.Kind);
        var window = pacer.Window;
        Assert.Equal(0, window?.Remaining);
        Assert.InRange((window!.Value.ResetUtc - DateTime.UtcNow).TotalSeconds, 3, 5);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task At_the_reset_one_odd_answer_of_another_window_does_not_hold_and_one_request_goes_to_learn()
    {
        var pacer = PacerAtTheReset(later: 1);
        var pass = await pacer.AcquireAsync(TimeSpan.Zero, null, default);
        Assert.Equal(TimeSpan.Zero, pass.Waited);
        Assert.Null(pacer.Window);
    }
}
