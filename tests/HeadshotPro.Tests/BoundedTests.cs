using System.Reflection;

namespace HeadshotPro.Tests;

/// <summary>The rules that keep every test bounded and able to fail, checked over this assembly (see <see cref="Limits"/>).</summary>
public class BoundedTests
{
    [Fact(Timeout = Limits.Test)]
    public Task Every_test_is_async_with_a_timeout_xUnit_can_keep() => Task.Run(() =>
    {
        var tests = typeof(BoundedTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Fact: m.GetCustomAttribute<FactAttribute>()))
            .Where(t => t.Fact is not null)
            .ToList();
        Assert.True(tests.Count > 300, $"found only {tests.Count} tests");
        // xUnit 2 ignores Timeout on a synchronous test; a synchronous body goes in Task.Run.
        var unbounded = tests.Where(t => t.Fact!.Timeout <= 0 || t.Fact.Timeout > Limits.Bulk || !typeof(Task).IsAssignableFrom(t.Method.ReturnType))
            .Select(t => $"{t.Method.DeclaringType!.Name}.{t.Method.Name}").ToList();
        Assert.True(unbounded.Count == 0, "tests without a Timeout xUnit keeps (async, at most Limits.Bulk): " + string.Join(", ", unbounded));
    });
}
