using KDirective.Email;
using static KDirective.Email.EmailText;

namespace KDirective.Tests.Email;

/// <summary>The plain-text and HTML bodies every email is built from, written out in full, and subject lines.</summary>
public sealed class EmailTextTests
{
    [Fact]
    public void Body_ParagraphsAndLists_InBothForms_WithDataEncodedInTheHtml()
    {
        var (text, html) = new EmailText()
            .Paragraph(Value.Plain("To the "), Value.Bold("R&D <Lab>"), Value.Plain(" contacts,"))
            .List([[Value.Plain("first")], ["<b>second</b>"]])
            .Paragraph(Value.Plain("Last."))
            .Build();

        var nl = Environment.NewLine;
        Assert.Equal($"To the R&D <Lab> contacts,{nl}{nl}  - first{nl}  - <b>second</b>{nl}{nl}Last.{nl}", text);
        Assert.Equal(
            "<!DOCTYPE html><html><body style=\"font-family:Segoe UI,Arial,sans-serif\">" +
            "<p>To the <strong>R&amp;D &lt;Lab&gt;</strong> contacts,</p>" +
            "<ul><li>first</li><li>&lt;b&gt;second&lt;/b&gt;</li></ul>" +
            "<p>Last.</p></body></html>",
            html);
    }

    [Fact]
    public void SubjectSafe_KeepsOneLine_OfAtMost200Characters()
    {
        Assert.Equal("Inventory due  Bcc: x@example.gov", SubjectSafe("Inventory due\r\nBcc: x@example.gov"));
        Assert.Equal(new string('a', 200), SubjectSafe(new string('a', 250)));
        Assert.Equal(new string('b', 199), SubjectSafe(new string('b', 199)));
    }
}
