using HeadshotPro.Commands;
using static HeadshotPro.Commands.CreditLedger;

namespace HeadshotPro.Tests;

/// <summary>The credits of one invite run, alone: handed out in input order, given back, read again once, refused.</summary>
public class CreditLedgerTests
{
    [Fact(Timeout = Limits.Test)]
    public Task A_fractional_balance_covers_its_whole_credits_and_when_none_is_left_the_next_waits_then_reads_once_then_is_short() => Task.Run(() =>
    {
        var ledger = new CreditLedger(2.5m);
        Assert.Equal(Step.Reserved, ledger.Reserve(requestsInFlight: false));
        Assert.Equal(Step.Reserved, ledger.Reserve(requestsInFlight: true));
        Assert.Equal(Step.Wait, ledger.Reserve(requestsInFlight: true));
        ledger.Ended(Outcome.Spent);
        ledger.Ended(Outcome.Spent);
        Assert.Equal(Step.ReadBalance, ledger.Reserve(requestsInFlight: false));
        ledger.Read(0.5m);
        Assert.Equal(Step.Short, ledger.Reserve(requestsInFlight: false));
        Assert.Equal(Step.Short, ledger.Reserve(requestsInFlight: false));
        Assert.False(ledger.Refused);
    });

    [Fact(Timeout = Limits.Test)]
    public Task A_credit_not_spent_goes_to_the_next_address_and_a_read_that_finds_credits_goes_on() => Task.Run(() =>
    {
        var ledger = new CreditLedger(1m);
        Assert.Equal(Step.Reserved, ledger.Reserve(false));
        Assert.Equal(Step.Wait, ledger.Reserve(true));
        ledger.Ended(Outcome.NotSpent); // e.g. the address was invited already
        Assert.Equal(Step.Reserved, ledger.Reserve(false));
        ledger.Ended(Outcome.Spent);
        Assert.Equal(Step.ReadBalance, ledger.Reserve(false));
        ledger.Read(3m); // credits bought meanwhile
        Assert.Equal(Step.Reserved, ledger.Reserve(false));
    });

    [Fact(Timeout = Limits.Test)]
    public Task Without_a_balance_one_goes_at_a_time_until_the_server_refuses_and_then_none() => Task.Run(() =>
    {
        var ledger = new CreditLedger(null);
        Assert.Equal(Step.Reserved, ledger.Reserve(false));
        Assert.Equal(Step.Wait, ledger.Reserve(true));
        ledger.Ended(Outcome.Spent);
        Assert.Equal(Step.Reserved, ledger.Reserve(false));
        ledger.Ended(Outcome.Refused);
        Assert.True(ledger.Refused);
        Assert.Equal(Step.Short, ledger.Reserve(false));
    });

    [Fact(Timeout = Limits.Test)]
    public Task A_refusal_of_a_covered_invite_ends_the_handing_out_and_a_failed_read_means_one_at_a_time() => Task.Run(() =>
    {
        var ledger = new CreditLedger(5m);
        Assert.Equal(Step.Reserved, ledger.Reserve(false));
        ledger.Ended(Outcome.Refused);
        Assert.Equal(Step.Short, ledger.Reserve(false));

        ledger = new CreditLedger(0m);
        Assert.Equal(Step.Short, ledger.Reserve(false)); // read at the start: nothing to read again for
        ledger = new CreditLedger(1m);
        Assert.Equal(Step.Reserved, ledger.Reserve(false));
        ledger.Ended(Outcome.Spent);
        Assert.Equal(Step.ReadBalance, ledger.Reserve(false));
        ledger.Read(null);
        Assert.Equal(Step.Reserved, ledger.Reserve(false));
        Assert.Equal(Step.Wait, ledger.Reserve(true));
    });
}
