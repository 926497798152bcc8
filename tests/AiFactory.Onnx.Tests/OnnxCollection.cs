namespace AiFactory.Onnx.Tests;

[CollectionDefinition(Name)]
public sealed class OnnxCollection : ICollectionFixture<OnnxFixture>
{
    public const string Name = "onnx";
}
