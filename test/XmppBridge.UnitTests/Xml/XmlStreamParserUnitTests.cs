using System.Text;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.UnitTests.Xml;

public sealed class XmlStreamParserUnitTests
{
    private const string Header =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='example.org' version='1.0' xml:lang='en'>";

    public static TheoryData<string> SampleStreams => new()
    {
        // Features as Prosody sends them, then a stream restart-free session.
        Header + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
            + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
        // Entities, both quote styles, '>' inside an attribute value, CDATA, multi-byte UTF-8, keep-alive whitespace.
        Header + "\n <message from=\"a@example.org/r\" to='b@example.org' id=\"x&amp;1\" type='chat'>"
            + "<body>1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot; &apos;a&apos; &#233;&#x1F600; é 😀 日本</body>"
            + "<x xmlns='urn:test' a='v>w' b=\"it's\"><![CDATA[<not markup> & ]]></x></message> \n\t"
            + "<presence/><iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq></stream:stream>",
        // Prefixed elements and attributes, a default namespace reset, nested stanza payloads.
        "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client'>"
            + "<iq id='r1' type='result'><p:query xmlns:p='jabber:iq:roster' xmlns:q='urn:q' q:attr='1'>"
            + "<p:item jid='c@example.org' subscription='both'><p:group>Friends</p:group></p:item>"
            + "<plain xmlns=''>no namespace</plain></p:query></iq>"
            + "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>",
    };

    [Theory]
    [MemberData(nameof(SampleStreams))]
    public void Push_SplitAtEveryByteBoundary_ParsesTheSameAsWhole(string stream)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        var whole = Parse(bytes, bytes.Length);
        whole.Should().NotBeEmpty();

        for (var split = 1; split < bytes.Length; split++)
        {
            var sink = new RecordingSink();
            using var parser = new XmlStreamParser(sink);
            parser.Push(bytes.AsSpan(0, split));
            parser.Push(bytes.AsSpan(split));
            sink.Events.Should().Equal(whole, $"split at byte {split}");
        }

        Parse(bytes, 1).Should().Equal(whole, "fed one byte at a time");
        Parse(bytes, 7).Should().Equal(whole, "fed seven bytes at a time");
    }

    [Fact]
    public void Push_SampleStream_DecodesNamesTextAndAttributes()
    {
        var sink = new RecordingSink();
        using var parser = new XmlStreamParser(sink);
        parser.Push(Encoding.UTF8.GetBytes(SampleStreams.ElementAt(1).Data));

        sink.Events[0].Should().Contain("{http://etherx.jabber.org/streams}stream").And.Contain("{http://www.w3.org/XML/1998/namespace}lang=en");
        var message = sink.Elements[0];
        message.Name.Should().Be(System.Xml.Linq.XName.Get("message", "jabber:client"));
        ((string?)message.Attribute("id")).Should().Be("x&1");
        message.Element(System.Xml.Linq.XName.Get("body", "jabber:client"))!.Value
            .Should().Be("1 < 2 && 3 > 2 \"q\" 'a' é😀 é 😀 日本");
        var x = message.Element(System.Xml.Linq.XName.Get("x", "urn:test"))!;
        ((string?)x.Attribute("a")).Should().Be("v>w");
        x.Value.Should().Be("<not markup> & ");
        sink.Events[^1].Should().Be("end");
        parser.IsClosed.Should().BeTrue();
    }

    public static TheoryData<string, string> HostileInputs => new()
    {
        {
            "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]>"
                + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>",
            "restricted-xml"
        },
        { Header + "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>", "restricted-xml" },
        { Header + "<message><body>&xxe;</body></message>", "restricted-xml" },
        { Header + "<message to='&xxe;'/>", "restricted-xml" },
        { Header + "<!-- a comment -->", "restricted-xml" },
        { Header + "<message><!-- a comment --></message>", "restricted-xml" },
        { Header + "<?php echo 1; ?>", "restricted-xml" },
        { Header + "<message><body>a</message>", "not-well-formed" },
        { Header + "<message><body>a</body></iq>", "not-well-formed" },
        { Header + "</message>", "not-well-formed" },
        { Header + "<message a='1' a='2'/>", "not-well-formed" },
        { Header + "<message a=1/>", "not-well-formed" },
        { Header + "<message><body>&#1;</body></message>", "not-well-formed" },
        { Header + "<message><body>&amp</body></message>", "not-well-formed" },
        { Header + "<message><1body/></message>", "not-well-formed" },
        { Header + "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>", "invalid-xml" },
        { Header + "<foo:message/>", "bad-namespace-prefix" },
        { Header + "hello", "bad-format" },
        { "<stream:stream xmlns:stream='urn:wrong'>", "invalid-namespace" },
        { "<message/>", "invalid-namespace" },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Push_HostileInputSplitAnywhere_RaisesDocumentedStreamError(string input, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        for (var split = 1; split <= bytes.Length; split++)
        {
            using var parser = new XmlStreamParser(new RecordingSink());
            var act = () =>
            {
                parser.Push(bytes.AsSpan(0, split));
                parser.Push(bytes.AsSpan(split));
            };
            act.Should().Throw<XmlStreamException>($"split at {split}").Which.Condition.ToWireName().Should().Be(expected);
        }
    }

    [Fact]
    public void Push_InvalidUtf8_RaisesUnsupportedEncoding()
    {
        byte[] bad = [.. Encoding.UTF8.GetBytes(Header + "<message><body>"), 0xC3, 0x28, 0xFF, .. "</body></message>"u8];
        for (var split = 1; split < bad.Length; split++)
        {
            using var parser = new XmlStreamParser(new RecordingSink());
            var act = () =>
            {
                parser.Push(bad.AsSpan(0, split));
                parser.Push(bad.AsSpan(split));
            };
            act.Should().Throw<XmlStreamException>().Which.Condition.Should().Be(StreamErrorCondition.UnsupportedEncoding);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    public void Push_TenMebibyteStanza_RaisesPolicyViolationWithBoundedMemory(int chunk)
    {
        var limits = new XmlStreamLimits();
        var body = new byte[10 * 1024 * 1024];
        body.AsSpan().Fill((byte)'a');
        byte[] input = [.. Encoding.UTF8.GetBytes(Header + "<message><body>"), .. body];
        using var parser = new XmlStreamParser(new RecordingSink(), limits);

        var maxPending = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = () =>
        {
            for (var pos = 0; pos < input.Length; pos += Math.Min(chunk, input.Length - pos))
            {
                parser.Push(input.AsSpan(pos, Math.Min(chunk, input.Length - pos)));
                maxPending = Math.Max(maxPending, parser.PendingBytes);
            }
        };

        act.Should().Throw<XmlStreamException>().Which.Condition.Should().Be(StreamErrorCondition.PolicyViolation);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        maxPending.Should().BeLessThanOrEqualTo(limits.MaxStanzaBytes + (64 * 1024));
        allocated.Should().BeLessThan(4L * 1024 * 1024, "the parser must not buffer what it will reject");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public void Push_TenThousandDeepStanza_IsDroppedAndTheNextOneDelivered(int chunk)
    {
        // A server relays any user's stanza (Prosody bounds only its size): a stream error here would let anyone who
        // can message a silo end its session, over and over (the hostile-input run found it). Dropped, not fatal.
        var sb = new StringBuilder(Header).Append("<message id='deep'><body>kept?</body>");
        for (var i = 0; i < 10_000; i++)
        {
            sb.Append("<a xmlns:p='urn:p").Append(i % 3).Append("' p:x='1'>text &amp; more<![CDATA[<]]>");
        }

        for (var i = 0; i < 10_000; i++)
        {
            sb.Append("</a>");
        }

        sb.Append("<b/></message><message id='next'><body>after</body></message>");
        var sink = new RecordingSink();
        using var parser = new XmlStreamParser(sink, new XmlStreamLimits { MaxStanzaBytes = 1024 * 1024 });
        Push(parser, Encoding.UTF8.GetBytes(sb.ToString()), chunk);

        sink.Elements.Select(e => (string?)e.Attribute("id")).Should().Equal("next");
        parser.DiscardedStanzas.Should().Be(1);
    }

    [Fact]
    public void Push_TooManyAttributes_IsDroppedAndTheNextOneDelivered()
    {
        var sb = new StringBuilder(Header).Append("<message><body");
        for (var i = 0; i < 100; i++)
        {
            sb.Append(" a").Append(i).Append("='x'");
        }

        sb.Append("><x xmlns='urn:x'/></body></message><presence");
        for (var i = 0; i < 100; i++)
        {
            sb.Append(" xmlns:p").Append(i).Append("='urn:p'");
        }

        sb.Append("/><message id='next'/>");
        var sink = new RecordingSink();
        using var parser = new XmlStreamParser(sink);
        parser.Push(Encoding.UTF8.GetBytes(sb.ToString()));

        sink.Elements.Select(e => (string?)e.Attribute("id")).Should().Equal("next");
        parser.DiscardedStanzas.Should().Be(2);
    }

    [Fact]
    public void Push_DeepStanzaThatIsNotWellFormed_StillRaisesNotWellFormed()
    {
        var sb = new StringBuilder(Header).Append("<message>");
        for (var i = 0; i < 100; i++)
        {
            sb.Append("<a>");
        }

        using var parser = new XmlStreamParser(new RecordingSink());
        var act = () => parser.Push(Encoding.UTF8.GetBytes(sb.Append("</b>").ToString()));
        act.Should().Throw<XmlStreamException>().Which.Condition.Should().Be(StreamErrorCondition.NotWellFormed);
    }

    [Fact]
    public void Push_StreamHeaderWithTooManyAttributes_RaisesPolicyViolation()
    {
        var sb = new StringBuilder("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'");
        for (var i = 0; i < 100; i++)
        {
            sb.Append(" a").Append(i).Append("='x'");
        }

        using var parser = new XmlStreamParser(new RecordingSink());
        var act = () => parser.Push(Encoding.UTF8.GetBytes(sb.Append('>').ToString()));
        act.Should().Throw<XmlStreamException>().Which.Condition.Should().Be(StreamErrorCondition.PolicyViolation);
    }

    private static void Push(XmlStreamParser parser, byte[] bytes, int chunk)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            parser.Push(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
        }
    }

    [Fact]
    public void Push_EndlessWhitespaceKeepAlives_HoldsNothing()
    {
        var sink = new RecordingSink();
        using var parser = new XmlStreamParser(sink);
        parser.Push(Encoding.UTF8.GetBytes(Header));
        var spaces = new byte[1024 * 1024];
        spaces.AsSpan().Fill((byte)' ');
        parser.Push(spaces);
        parser.PendingBytes.Should().Be(0);
        parser.Push("<presence/>"u8);
        sink.Elements.Should().ContainSingle();
    }

    [Fact]
    public void Reset_AfterStreamRestart_AcceptsNewHeader()
    {
        var sink = new RecordingSink();
        using var parser = new XmlStreamParser(sink);
        parser.Push(Encoding.UTF8.GetBytes(Header + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"));
        parser.Reset();
        parser.Push(Encoding.UTF8.GetBytes(Header + "<stream:features/>"));
        sink.Events.Should().HaveCount(4);
        sink.Elements[1].Name.LocalName.Should().Be("features");
    }

    [Fact]
    public void Push_RandomGarbage_NeverThrowsAnythingButStreamErrors()
    {
        // A small fuzz pass: mutate a valid stream at random; the only acceptable failure is a stream error.
        var valid = Encoding.UTF8.GetBytes(SampleStreams.ElementAt(1).Data);
        var random = new Random(1234);
        for (var round = 0; round < 2000; round++)
        {
            var input = (byte[])valid.Clone();
            for (var m = 0; m < 1 + random.Next(4); m++)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            using var parser = new XmlStreamParser(new RecordingSink());
            try
            {
                var split = random.Next(input.Length);
                parser.Push(input.AsSpan(0, split));
                parser.Push(input.AsSpan(split));
            }
            catch (XmlStreamException)
            {
            }
        }
    }

    private static List<string> Parse(byte[] bytes, int chunk)
    {
        var sink = new RecordingSink();
        using var parser = new XmlStreamParser(sink);
        for (var pos = 0; pos < bytes.Length; pos += chunk)
        {
            parser.Push(bytes.AsSpan(pos, Math.Min(chunk, bytes.Length - pos)));
        }

        return sink.Events;
    }
}
