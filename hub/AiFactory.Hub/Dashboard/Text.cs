namespace AiFactory.Hub.Dashboard;

/// <summary>The dashboard's words: <c>Text.resx</c> (English) and <c>Text.ko.resx</c> (Korean) beside this type.</summary>
public sealed class Text
{
}
