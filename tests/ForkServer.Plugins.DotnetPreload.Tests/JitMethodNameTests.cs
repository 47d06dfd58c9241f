using ForkServer.Plugins.DotnetPreload.Internal;

namespace ForkServer.Plugins.DotnetPreload.Tests;

public sealed class JitMethodNameTests
{
    [Fact]
    public void A_generic_method_of_a_nested_generic_type_is_split_into_its_parts()
    {
        var name = JitMethodName.Parse("System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1[System.__Canon]:Start[Some.Type+<BindAsync>d__8](byref)")!;

        Assert.Equal("System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1[System.__Canon]", name.DeclaringType);
        Assert.Equal("Start", name.Name);
        Assert.Equal(["Some.Type+<BindAsync>d__8"], name.MethodArguments);
        Assert.Equal(1, name.ParameterCount);
    }

    [Fact]
    public void Parameters_are_counted_at_the_top_level_only()
        => Assert.Equal(3, JitMethodName.Parse("System.Collections.Generic.Dictionary`2[int,int]:TryInsert(System.Collections.Generic.KeyValuePair`2[int,int],int,byte)")!.ParameterCount);

    [Theory]
    [InlineData("(dynamicClass):lambda_method2(System.Runtime.CompilerServices.Closure,System.Object)")]
    [InlineData("(dynamicClass):IL_STUB_PInvoke(ptr,int)")]
    [InlineData("Microsoft.Extensions.Logging.Logger:IL_STUB_InstantiatingStub(int)")]
    [InlineData("not a method name")]
    public void What_has_no_metadata_is_left_out(string text) => Assert.Null(JitMethodName.Parse(text));
}
