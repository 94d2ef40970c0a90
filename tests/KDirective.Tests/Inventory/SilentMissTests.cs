using System.Text;

namespace KDirective.Tests.Inventory;

/// <summary>
/// Files that an adversarial review (2026-12-07) found accepted while a Kaspersky row in them went unseen, or rejected
/// with a wrong line or reason. Each case is the review's reproducer, inline.
/// </summary>
public class SilentMissTests
{
    private const string Header = "Hostname,Publisher,Product,Version\n";

    [Fact]
    public void Read_StrayQuotesAroundWholeRowsInAVersion_ReadsTheRowsBetweenAndFindsTheirProducts()
    {
        var report = Read.Text(Header
            + "PC-1,Acme,Widget,\"1.0\n"
            + "PC-K,Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1\n"
            + "PC-K2,AO Kaspersky Lab,Kaspersky Total Security,21\n"
            + "PC-3,Acme,Gadget,2.0\"\n"
            + "PC-O,Mozilla,Firefox,130.0\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(5, report.RowsRead);
        Assert.Equal([("PC-K", 3L), ("PC-K2", 4L)], report.Matches.Select(m => (m.Hostname!, m.Line)));
        var opened = report.Rejections[0];
        Assert.Equal(2, opened.Line);
        Assert.Contains("closes on line 5, but line 3 between holds a row of its own", opened.Reason);
    }

    [Fact]
    public void Read_StrayQuotesAroundAKasperskyRowInAHostname_FindsIt()
    {
        var report = Read.Text(Header
            + "\"PC-1\n"
            + "PC-K,Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1\n"
            + "PC-3\",Acme,Gadget,2.0\n"
            + "PC-O,Mozilla,Firefox,130.0\n");

        Assert.True(report.Accepted, report.Error);
        var match = Assert.Single(report.Matches);
        Assert.Equal(("PC-K", 3L), (match.Hostname!, match.Line));
    }

    [Fact]
    public void Read_StrayQuoteInAProductNameAroundAKasperskyRow_ReportsThatRowsHostNotTheFirst()
    {
        var report = Read.Text(Header
            + "PC-1,Acme,\"Widget\n"
            + "PC-K,Kaspersky Lab,Kaspersky Anti-Virus,15\n"
            + "more\",2.0\n"
            + "PC-O,Mozilla,Firefox,130.0\n");

        Assert.True(report.Accepted, report.Error);
        var match = Assert.Single(report.Matches);
        Assert.Equal(("PC-K", 3L, "Kaspersky Anti-Virus"), (match.Hostname!, match.Line, match.Product));
    }

    [Fact]
    public void Read_QuotedValueWithLineBreaksThatLooksLikeNoRow_IsStillOneRecord()
    {
        // What the join exists for: a value with line breaks, whose lines are not rows of their own.
        var report = Read.Text(Header + "PC-1,Acme,\"Widget\nPro Edition\",2.0\nPC-K,Kaspersky Lab,Kaspersky Anti-Virus,15\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(2, report.RowsRead);
        Assert.Empty(report.Rejections);
        Assert.Equal(4, Assert.Single(report.Matches).Line);
    }

    [Fact]
    public void Read_StrayByteInTheHostnameOfAUtf8CyrillicRow_DecodesTheNamesAsUtf8AndMatches()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "PC-O,Mozilla,Firefox,130.0\nPC-")
            .Concat(new byte[] { 0xE9 })
            .Concat(Encoding.UTF8.GetBytes(",Лаборатория Касперского,Антивирус Касперского,15\n")).ToArray();

        var report = Read.Bytes(bytes);

        Assert.True(report.Accepted, report.Error);
        Assert.Empty(report.Rejections);
        var match = Assert.Single(report.Matches);
        Assert.Equal(("PC-é", "Kaspersky Anti-Virus"), (match.Hostname!, match.Product));
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x08)]
    [InlineData(0x1B)]
    [InlineData(0x7F)]
    public void Read_AsciiControlCharacterInsideTheBrand_IsAPossibleFindingOfTheRejectedRow(int control)
    {
        var c = (char)control;
        var report = Read.Text(Header + $"PC-O,Mozilla,Firefox,130.0\nPC-K,Kasper{c}sky Lab,Kasper{c}sky Anti-Virus,15\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Contains("control character", Assert.Single(report.Rejections).Reason);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Fact]
    public void Read_StrayByteInTheHostnameOfARejectedCyrillicRow_IsAPossibleFinding()
    {
        // The row is rejected (one field too many); its valid UTF-8 names are still checked as UTF-8.
        var bytes = Encoding.UTF8.GetBytes(Header + "PC-O,Mozilla,Firefox,130.0\nPC-")
            .Concat(new byte[] { 0xE9 })
            .Concat(Encoding.UTF8.GetBytes(",Лаборатория Касперского,Антивирус Касперского,15,extra\n")).ToArray();

        var report = Read.Bytes(bytes);

        Assert.Contains("expected 4 fields", Assert.Single(report.Rejections).Reason);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Fact]
    public void Read_StrayByteInsideACyrillicBrandField_IsAPossibleFindingDecodedAsUtf8()
    {
        // The fields are not valid UTF-8, so the row reads them as Windows-1252 and rejects the C1 control that gives;
        // the check of the rejected line still reads them as the UTF-8 they mostly are.
        var bytes = Encoding.UTF8.GetBytes(Header + "PC-O,Mozilla,Firefox,130.0\nPC-1,Лаборатория Касперского")
            .Concat(new byte[] { 0xE9 })
            .Concat(Encoding.UTF8.GetBytes(",Антивирус Касперского")).Concat(new byte[] { 0xE9 })
            .Concat(Encoding.UTF8.GetBytes(",15\n")).ToArray();

        var report = Read.Bytes(bytes);

        Assert.True(report.Accepted, report.Error);
        Assert.Contains("control character", Assert.Single(report.Rejections).Reason);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Fact]
    public void Read_MecmAlternativeNameOverTheLengthLimit_RejectsTheRowAsAPossibleFinding()
    {
        var report = Read.Text("Netbios_Name0,DisplayName0,ARPDisplayName0,Publisher0,Version0\n"
            + "PC-O,Firefox,Firefox,Mozilla,130\n"
            + $"PC-K,Widget,Kaspersky Endpoint Security for Windows {new string('x', 600)},Acme,1\n");

        Assert.True(report.Accepted, report.Error);
        var rejection = Assert.Single(report.Rejections);
        Assert.Equal((3L, "product name (column 3) is longer than 512 characters"), (rejection.Line, rejection.Reason));
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Theory]
    [InlineData("Name,Version,Publisher,Count\n", "Secure Connection,4.0.0.1,Kaspersky Lab North America,12\n")]
    [InlineData("name,version,publisher,count\n", "Network Agent,14.2,AO Kaspersky Lab,3\n")]
    [InlineData("Computer Name,Name,Version,Vendor\n", "PC-K,Network Agent,14.2,AO Kaspersky Lab\n")]
    public void Read_TaniumLayoutWithAPublisherColumn_MatchesByThePublisher(string header, string row)
    {
        var report = Read.Text(header + (header.StartsWith("Computer", StringComparison.Ordinal) ? "PC-O,Firefox,130,Mozilla\n" : "Firefox,130,Mozilla,10\n") + row);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal("tanium", report.Format);
        Assert.Equal(3, Assert.Single(report.Matches).Line);
    }

    [Fact]
    public void Read_SecondHeaderWithColumnsInAnotherOrder_RejectsTheFileAtThatLine()
    {
        var report = Read.Text(Header + "PC-O,Mozilla,Firefox,130.0\nProduct,Hostname,Version,Publisher\nKaspersky Endpoint Security for Windows,PC-K,11.1,Kaspersky Lab\n");

        Assert.False(report.Accepted);
        Assert.StartsWith("line 3: this line is a header again, with its columns in other places", report.Error);
    }

    [Fact]
    public void Read_SameHeaderAgain_RejectsThatLineOnlyAndCountsNoEndpointForIt()
    {
        var report = Read.Text(Header + "PC-O,Mozilla,Firefox,130.0\nhostname,PUBLISHER,Product,Version\nPC-K,Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1\n");

        Assert.True(report.Accepted, report.Error);
        var rejection = Assert.Single(report.Rejections);
        Assert.Equal(3, rejection.Line);
        Assert.StartsWith("the header again (line 1)", rejection.Reason);
        Assert.Equal(2, report.EndpointsScanned);
        Assert.Equal(4, Assert.Single(report.Matches).Line);
    }

    [Fact]
    public void Read_AProductThatSharesAHeadersName_IsARowNotAHeader()
    {
        var report = Read.Text(Header + "PC-O,Acme,Version,1.0\nPC-K,Kaspersky Lab,Kaspersky Anti-Virus,15\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Empty(report.Rejections);
        Assert.Equal(2, report.EndpointsScanned);
    }

    [Fact]
    public void Read_NulByteInAFileWithCarriageReturnLineEnds_NamesItsLine()
    {
        var report = Read.Bytes(Encoding.ASCII.GetBytes("Hostname,Publisher,Product,Version\rPC-O,Mozilla,Firefox,130.0\rPC-X,Acme,Tool\0,1\rPC-K,Kaspersky Lab,Kaspersky Anti-Virus,15\r"));

        Assert.False(report.Accepted);
        Assert.StartsWith("line 3 contains NUL bytes", report.Error);
    }

    [Fact]
    public void Read_NulCharacterInUtf16WithCarriageReturnLineEnds_NamesItsLine()
    {
        var report = Read.Text("Hostname,Publisher,Product,Version\rPC-O,Mozilla,Firefox,130.0\rPC-X,Acme,Tool\0,1\r", Encoding.Unicode);

        Assert.False(report.Accepted);
        Assert.StartsWith("line 3 contains NUL characters", report.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0, 0, (byte)'H', 0, 0, 0 }, "line 1: the file is UTF-32")]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1', (byte)'.', (byte)'7', (byte)'\n' }, "line 1: the file is a PDF document")]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 20, 0, 6, 0 }, "line 1: the file is a ZIP archive")]
    public void Read_WholeFileOfAnotherKind_NamesLineOne(byte[] bytes, string error)
    {
        var report = Read.Bytes(bytes);

        Assert.False(report.Accepted);
        Assert.StartsWith(error, report.Error);
    }

    [Fact]
    public void Read_LineJustOverOneMebibyte_RejectsTheFileAtThatLine()
    {
        // The review's case: a last field that takes the line to 1,048,603 bytes, which the CSV reader's own limit let by.
        var line = "PC-1,Acme,Tool,1,";
        var report = Read.Text("Hostname,Publisher,Product,Version,Notes\n" + line + new string('n', 1_048_603 - line.Length) + "\nPC-K,Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1,y\n");

        Assert.False(report.Accepted);
        Assert.StartsWith("line 2: a record is larger than 1 MiB", report.Error);
    }

    [Fact]
    public void Read_LinesOfSemicolonsBeforeACommaHeader_SaysTheSeparatorWasMisdetected()
    {
        var report = Read.Text(string.Concat(Enumerable.Repeat(";;;;;;\n", 40)) + Header + "PC-K,Kaspersky Lab,Kaspersky Anti-Virus,15\n");

        Assert.False(report.Accepted);
        Assert.StartsWith("line 41: the header is separated by ',', but the separator was detected as ';'", report.Error);
    }

    // Round 2 of the review, after the fixes above.

    [Theory]
    [InlineData("\uFEFFProduct,Version,Hostname,Publisher")]
    [InlineData("Product,Version,Host_name,Publisher")]
    [InlineData("\"Product\",\"Version\",\"Hostname\",\"Publisher\"")]
    public void Read_SecondHeaderInAnotherOrderWithABomAnAliasOrQuotes_RejectsTheFileAtThatLine(string second)
    {
        var report = Read.Text(Header + "PC-O,Mozilla,Firefox,130.0\n" + second + "\nKaspersky Endpoint Security for Windows,11.1,PC-K,Kaspersky Lab\n");

        Assert.False(report.Accepted);
        Assert.StartsWith("line 3: this line is a header again", report.Error);
    }

    [Fact]
    public void Read_SameHeaderAgainAfterAByteOrderMark_IsRejectedNotCountedAsAnEndpoint()
    {
        var report = Read.Text(Header + "PC-O,Mozilla,Firefox,130.0\n\uFEFFHostname,Publisher,Product,Version\nPC-K,Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1\n");

        Assert.True(report.Accepted, report.Error);
        Assert.StartsWith("the header again", Assert.Single(report.Rejections).Reason);
        Assert.Equal(2, report.EndpointsScanned);
    }

    [Fact]
    public void Read_SecondHeaderWithColumnsTheFirstDoesNotHave_ListsTheKasperskyRowAfterItAsAPossibleFinding()
    {
        // Not recognizable as a header of this file's format (other columns), so the rows after it are read through
        // the first header's columns: the product name lands in another column, and that is listed.
        var report = Read.Text("ComputerName,DisplayName,DisplayVersion,Publisher,InstallDate,InstallLocation\n"
            + "PC-O,Mozilla Firefox,130.0,Mozilla,20240101,C:\\Apps\\Firefox\n"
            + "PSComputerName,InstallDate,DisplayVersion,InstallLocation,DisplayName,Publisher\n"
            + "PC-K,20240102,11.1,C:\\Apps\\KES,Kaspersky Endpoint Security for Windows,AO Kaspersky Lab\n");

        Assert.True(report.Accepted, report.Error);
        var possible = Assert.Single(report.PossibleFindings);
        Assert.Equal((4L, "Kaspersky Endpoint Security for Windows"), (possible.Line, possible.Product));
    }

    [Theory]
    [InlineData("osquery", "name,version,publisher,vendor,hostname\nFirefox,130,Mozilla,,PC-O\nSecure Connection,4.0.0.1,,Kaspersky Lab North America,PC-K\n")]
    [InlineData("kdirective", "Hostname,Publisher,Product,Version,Vendor\nPC-O,Mozilla,Firefox,130,\nPC-K,,Secure Connection,4.0.0.1,Kaspersky Lab North America\n")]
    public void Read_KasperskyOnlyInAColumnTheFormatDoesNotRead_IsAPossibleFinding(string format, string text)
    {
        var report = Read.Text(text);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(format, report.Format);
        Assert.Empty(report.Matches);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Fact]
    public void Read_OutOfScopeProductThatNamesKasperskyInItsName_IsNeitherAMatchNorAPossibleFinding()
    {
        var report = Read.Text(Header + "PC-1,Acme Software,Acme Antivirus with Kaspersky engine,2.0\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Empty(report.Matches);
        Assert.Empty(report.PossibleFindings);
    }

    [Theory]
    [InlineData("Name,Version,Company,Count\n")]
    [InlineData("Name,Version,Publisher Name,Count\n")]
    public void Read_TaniumLayoutWithACompanyOrPublisherNameColumn_MatchesByIt(string header)
    {
        var report = Read.Text(header + "Firefox,130,Mozilla,10\nSecure Connection,4.0.0.1,Kaspersky Lab North America,12\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(3, Assert.Single(report.Matches).Line);
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x09)]
    [InlineData(0x7F)]
    public void Read_ControlByteInsideAMultiByteCharacterOfTheBrand_IsAPossibleFinding(int control)
    {
        // Between the two bytes of the Cyrillic п of Касперского.
        var bytes = Encoding.UTF8.GetBytes(Header + "PC-O,Mozilla,Firefox,130.0\nPC-R,,Антивирус Кас")
            .Concat(new byte[] { 0xD0, (byte)control, 0xBF })
            .Concat(Encoding.UTF8.GetBytes("ерского,15\n")).ToArray();

        var report = Read.Bytes(bytes);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Fact]
    public void Read_QuoteOpeningOnAKasperskyRowThatAJoinWouldHideInAHostname_UndoesTheJoin()
    {
        var report = Read.Text(Header + "PC-O,Mozilla,Firefox,130.0\n\"PC-K,Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1\nPC-2\",Mozilla,Firefox,130.0\n");

        Assert.True(report.Accepted, report.Error);
        var opened = report.Rejections[0];
        Assert.Equal(3, opened.Line);
        Assert.Contains("would hide the banned product line 3 names", opened.Reason);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Fact]
    public void Read_KasperskyRowWithAPublisherOnTwoLines_StaysOneMatchedRecord()
    {
        var report = Read.Text(Header + "PC-K,\"Kaspersky\nLab\",Kaspersky Endpoint Security for Windows,11.1\nPC-O,Mozilla,Firefox,130.0\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Empty(report.Rejections);
        Assert.Equal(("PC-K", 2L), Assert.Single(report.Matches) is var m ? (m.Hostname!, m.Line) : default);
    }

    [Theory]
    [InlineData(new byte[] { 0x4B, 0xD0, 0xB0 }, "spersky Anti-Virus")] // a Cyrillic а
    [InlineData(new byte[] { 0x4B, 0xC3, 0xA5 }, "spersky Anti-Virus")] // å
    public void Read_ObfuscatedUtf8BrandWithAStrayWindows1252Byte_Matches(byte[] start, string rest)
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "PC-O,Mozilla,Firefox,130.0\nPC-K,,")
            .Concat(start).Concat(Encoding.ASCII.GetBytes(rest)).Concat(new byte[] { 0xAE }) // a Windows-1252 ®
            .Concat(Encoding.ASCII.GetBytes(",15\n")).ToArray();

        var report = Read.Bytes(bytes);

        Assert.True(report.Accepted, report.Error);
        var match = Assert.Single(report.Matches);
        Assert.Equal(("PC-K", "Kaspersky Anti-Virus", true), (match.Hostname!, match.Product, match.Obfuscated));
    }

    [Fact]
    public void Read_KasperskyRowHiddenInTheVersionOfAMatchedKasperskyRow_IsAPossibleFindingToo()
    {
        // The inner row has five fields, so it is no record of its own; the joined record matches its own product.
        var report = Read.Text(Header + "PC-K,Kaspersky Lab,Kaspersky Endpoint Security for Windows,\"11\nPC-K2,AO Kaspersky Lab,Kaspersky Total Security,21,x\nend\"\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal("PC-K", Assert.Single(report.Matches).Hostname);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line); // the inner line itself (line 2, the record's, until round 3)
    }

    private static readonly Encoding Cp1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

    private static readonly Encoding Cp1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    [Fact]
    public void Read_Windows1251ExportFromARussianLanguageSystem_MatchesItsCyrillicNames()
    {
        // No BOM and not UTF-8: read as Windows-1252, Антивирус Касперского is Àíòèâèðóñ Êàñïåðñêîãî and matched nothing.
        var report = Read.Bytes(Cp1251.GetBytes(Header
            + "PC-1,Microsoft,Office,16\n"
            + "PC-2,АО Лаборатория Касперского,Антивирус Касперского,6.0\n"
            + "PC-3,АО Лаборатория Касперского,Агент администрирования,14\n"));

        Assert.True(report.Accepted, report.Error);
        Assert.Equal([(3L, "Kaspersky Anti-Virus"), (4L, "Kaspersky Security Center Network Agent")], report.Matches.Select(m => (m.Line, m.Product)));
        Assert.Equal(2, report.EndpointsAffected);
    }

    [Fact]
    public void Read_RejectedWindows1251Line_IsAPossibleFinding()
    {
        var report = Read.Bytes(Cp1251.GetBytes(Header + "PC-1,Microsoft,Office,16\nPC-2,Антивирус Касперского,6.0\n"));

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(3, Assert.Single(report.Rejections).Line);
        var possible = Assert.Single(report.PossibleFindings);
        Assert.Equal((3L, "Kaspersky Anti-Virus"), (possible.Line, possible.Product));
    }

    [Theory]
    [InlineData("Société Générale", 1252, false)]
    [InlineData("Größenrechner®", 1252, false)]
    [InlineData("Kaspersky Anti-Virus", 1252, false)]
    [InlineData("ЗАО", 1251, true)]
    [InlineData("Антивирус Касперского", 1251, true)]
    public void MayBeCyrillic_TakesThreeLettersInARowOfTheWindows1251LetterRange(string value, int codePage, bool expected)
    {
        // Rows that match nothing as Windows-1252 are decoded as Windows-1251 only when this holds, so a Western
        // export does not pay for a second decoding of every row with an accent.
        Assert.Equal(expected, KDirective.Inventory.TextEncodingKindExtensions.MayBeCyrillic(CodePagesEncodingProvider.Instance.GetEncoding(codePage)!.GetBytes(value)));
    }

    [Fact]
    public void Read_WesternWindows1252Names_MatchNothingInEitherEncoding()
    {
        // No false finding from reading Western accents as Cyrillic.
        var report = Read.Bytes(Cp1252.GetBytes(Header + "PC-1,Société Générale,Éditeur Préféré,1\nPC-2,Müller GmbH,Größenrechner®,2\n"));

        Assert.True(report.Accepted, report.Error);
        Assert.Empty(report.Matches);
        Assert.Empty(report.PossibleFindings);
        Assert.Equal("windows-1252", report.Encoding);
    }

    // Round 3 of the review (2026-12-07).

    [Theory]
    [InlineData("????????? ???????????")] // Windows PowerShell 5.1's Export-Csv writes ASCII: a Cyrillic name becomes question marks
    [InlineData("-")]
    [InlineData("—")]
    public void Read_KasperskyPublisherWithANameOfNoLetterOrDigit_IsAFinding(string name)
    {
        var report = Read.Text($"PSComputerName,DisplayName,DisplayVersion,Publisher\r\nPC-1,Mozilla Firefox,130.0,Mozilla\r\nPC-K,{name},21.3.10.391,AO Kaspersky Lab\r\n");

        Assert.True(report.Accepted, report.Error);
        var match = Assert.Single(report.Matches);
        Assert.Equal(("PC-K", "AO Kaspersky Lab (product name unreadable)"), (match.Hostname!, match.Product));
    }

    [Fact]
    public void Read_OtherPublisherWithANameOfNoLetterOrDigit_IsNoFinding()
    {
        var report = Read.Text("PSComputerName,DisplayName,DisplayVersion,Publisher\r\nPC-1,???????,1.0,Mozilla\r\nPC-2,-,2.0,\r\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Empty(report.Matches);
    }

    [Fact]
    public void Read_ExcelDoubleEncodedRussianRow_IsAPossibleFinding()
    {
        // Excel opens a UTF-8 file without a BOM as Windows-1252 (its five undefined bytes become U+0081 and the like),
        // and "CSV UTF-8" saves that as UTF-8 again. The row is rejected for its C1 controls; the line must not be only that.
        static string Twice(string text) => string.Concat(Encoding.UTF8.GetBytes(text).Select(b => b is 0x81 or 0x8D or 0x8F or 0x90 or 0x9D ? ((char)b).ToString() : Cp1252.GetString([b])));
        var report = Read.Text(Header + "PC-1,Mozilla,Firefox,130\nPC-K," + Twice("АО Лаборатория Касперского") + "," + Twice("Антивирус Касперского") + ",21.3\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(3, Assert.Single(report.Rejections).Line);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Theory]
    [InlineData("Ðicrosoft", true)] // Ð and U+009C: the double encoding of a Cyrillic letter's lead byte
    [InlineData("Ñ", true)]
    [InlineData("Антивирус Касперского", false)] // Cyrillic in plain UTF-8
    [InlineData("CafÃ©", false)] // a double-encoded é: Latin, not the catalog's Cyrillic
    public void MayBeDoubleEncodedCyrillic_LooksForTheDoubleEncodingOfCyrillicLeadBytes(string value, bool expected) =>
        Assert.Equal(expected, KDirective.Inventory.TextEncodingKindExtensions.MayBeDoubleEncodedCyrillic(Encoding.UTF8.GetBytes(value)));

    [Theory]
    [InlineData("Contoso IT Packaging", "Kaspersky Endpoint Security 12 with Kaspersky Security Center Network Agent", "Kaspersky Security Center Network Agent")]
    [InlineData("Contoso", "Mail Gateway with Kaspersky Engine", null)]
    [InlineData("Splunk", "Kaspersky Threat Intelligence Feeds Connector for Splunk", null)]
    public void Read_AnExclusion_AppliesOnlyWhenTheBrandIsNamedNowhereElse(string publisher, string name, string? product)
    {
        var report = Read.Text(Header + $"PC-1,Mozilla,Firefox,130\nPC-K,{publisher},{name},12.1\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(product, report.Matches.SingleOrDefault()?.Product);
    }

    [Fact]
    public void Read_PackageRowHiddenInTheVersionOfAMatchedKasperskyRow_IsAPossibleFinding()
    {
        var report = Read.Text(Header + "PC-1,Mozilla,Firefox,130\nPC-A,AO Kaspersky Lab,Kaspersky Endpoint Security for Linux,\"12.0\nPC-B,,kesl,12.1\"\nPC-2,Google,Chrome,1\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal("PC-A", Assert.Single(report.Matches).Hostname);
        var possible = Assert.Single(report.PossibleFindings);
        Assert.Equal((4L, "Kaspersky Endpoint Security for Linux"), (possible.Line, possible.Product));
    }

    [Fact]
    public void Read_Windows1251RowHiddenInTheVersionOfAMatchedKasperskyRow_IsAPossibleFinding()
    {
        var bytes = Encoding.ASCII.GetBytes(Header + "PC-1,Mozilla,Firefox,130\nPC-A,AO Kaspersky Lab,Kaspersky Endpoint Security for Linux,\"12.0\nPC-B,")
            .Concat(Cp1251.GetBytes("АО Лаборатория Касперского,Антивирус Касперского,21\"\nPC-2,Google,Chrome,1\n")).ToArray();

        var report = Read.Bytes(bytes);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal("PC-A", Assert.Single(report.Matches).Hostname);
        Assert.Equal(4, Assert.Single(report.PossibleFindings).Line);
    }

    [Theory]
    [InlineData("Лабораторія Касперського", "Антивірус Касперського", "Kaspersky Anti-Virus")] // Ukrainian: the soft sign
    [InlineData("", "カスペルスキー セキュリティ", "カスペルスキー セキュリティ")]
    [InlineData("", "卡巴斯基杀毒软件", "卡巴斯基杀毒软件")]
    public void Read_LocalizedBrandNames_Match(string publisher, string name, string product)
    {
        var report = Read.Text(Header + $"PC-1,Mozilla,Firefox,130\nPC-K,{publisher},{name},21.3\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(product, Assert.Single(report.Matches).Product);
    }
}
