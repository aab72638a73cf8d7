// SPDX-License-Identifier: Apache-2.0
// Unit tests for emit/cobertura_writer and emit/xml_escape: the exact XML
// for small hand-built profiles (the same line rule as LCOV: overlapping
// blocks keep the largest count, statement-less blocks cover nothing),
// rates with fixed decimals that never round to a false 0 or 1, the
// timestamp in milliseconds, escaping that keeps any path well-formed
// XML 1.0, the empty profile, and the sink contract.
#include <string>
#include <string_view>

#include "covmerge/exports.h"
#include "covmerge/report.h"
#include "emit/xml_escape.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

std::string Cobertura(const MergedProfile& profile, const CoberturaOptions& options = {},
                      const PathRewriter& rewriter = PathRewriter{}) {
  const CoverageSummary summary = Summarize(profile, rewriter);
  std::string out;
  const absl::Status status = WriteCobertura(summary, options, [&](std::string_view bytes) {
    out.append(bytes);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return out;
}

// The attribute `name` of the first element that has it, unescaped text.
std::string Attribute(std::string_view xml, std::string_view element, std::string_view name) {
  const size_t start = xml.find(std::string("<") + std::string(element) + " ");
  if (start == std::string_view::npos) return "<no element>";
  const size_t end = xml.find('>', start);
  const std::string key = std::string(" ") + std::string(name) + "=\"";
  const size_t at = xml.find(key, start);
  if (at == std::string_view::npos || at > end) return "<no attribute>";
  const size_t value = at + key.size();
  return std::string(xml.substr(value, xml.find('"', value) - value));
}

constexpr std::string_view kHeader =
    "<?xml version=\"1.0\" ?>\n"
    "<!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">\n";

// Two packages; x.go has overlapping, multi-line and statement-less blocks.
MergedProfile SmallProfile() {
  MergedProfile p;
  p.mode = Mode::kCount;
  p.files.push_back({"example.com/m/a/x.go",
                     {
                         {1, 10, 3, 2, 2, 5},  // lines 1-3
                         {2, 5, 2, 20, 1, 0},  // inside it, never run: line 2 keeps 5
                         {3, 2, 5, 1, 1, 7},   // overlaps line 3: the larger count, 7
                         {6, 1, 6, 9, 0, 9},   // no statements: line 6 is not a line
                         {8, 1, 8, 5, 1, 0},   // a missed line
                     }});
  p.files.push_back({"example.com/m/b.go", {{1, 1, 1, 10, 1, 0}}});
  return p;
}

TEST(CoberturaWriterTest, WritesExactXml) {
  CoberturaOptions options;
  options.timestamp = 1700000000;
  options.source = "/src/m";
  EXPECT_EQ(Cobertura(SmallProfile(), options),
            std::string(kHeader) +
                "<coverage line-rate=\"0.7143\" branch-rate=\"0\" lines-covered=\"5\" lines-valid=\"7\" "
                "branches-covered=\"0\" branches-valid=\"0\" complexity=\"0\" version=\"covmerge\" "
                "timestamp=\"1700000000000\">\n"
                "\t<sources>\n"
                "\t\t<source>/src/m</source>\n"
                "\t</sources>\n"
                "\t<packages>\n"
                "\t\t<package name=\"example.com/m\" line-rate=\"0\" branch-rate=\"0\" complexity=\"0\">\n"
                "\t\t\t<classes>\n"
                "\t\t\t\t<class name=\"b\" filename=\"example.com/m/b.go\" line-rate=\"0\" branch-rate=\"0\" "
                "complexity=\"0\">\n"
                "\t\t\t\t\t<methods/>\n"
                "\t\t\t\t\t<lines>\n"
                "\t\t\t\t\t\t<line number=\"1\" hits=\"0\"/>\n"
                "\t\t\t\t\t</lines>\n"
                "\t\t\t\t</class>\n"
                "\t\t\t</classes>\n"
                "\t\t</package>\n"
                "\t\t<package name=\"example.com/m/a\" line-rate=\"0.8333\" branch-rate=\"0\" complexity=\"0\">\n"
                "\t\t\t<classes>\n"
                "\t\t\t\t<class name=\"x\" filename=\"example.com/m/a/x.go\" line-rate=\"0.8333\" "
                "branch-rate=\"0\" complexity=\"0\">\n"
                "\t\t\t\t\t<methods/>\n"
                "\t\t\t\t\t<lines>\n"
                "\t\t\t\t\t\t<line number=\"1\" hits=\"5\"/>\n"
                "\t\t\t\t\t\t<line number=\"2\" hits=\"5\"/>\n"
                "\t\t\t\t\t\t<line number=\"3\" hits=\"7\"/>\n"
                "\t\t\t\t\t\t<line number=\"4\" hits=\"7\"/>\n"
                "\t\t\t\t\t\t<line number=\"5\" hits=\"7\"/>\n"
                "\t\t\t\t\t\t<line number=\"8\" hits=\"0\"/>\n"
                "\t\t\t\t\t</lines>\n"
                "\t\t\t\t</class>\n"
                "\t\t\t</classes>\n"
                "\t\t</package>\n"
                "\t</packages>\n"
                "</coverage>\n");
}

TEST(CoberturaWriterTest, EmptyProfileIsAValidDocument) {
  // No lines: the rate is "1", as Cobertura itself writes it.
  EXPECT_EQ(Cobertura(MergedProfile{}),
            std::string(kHeader) +
                "<coverage line-rate=\"1\" branch-rate=\"0\" lines-covered=\"0\" lines-valid=\"0\" "
                "branches-covered=\"0\" branches-valid=\"0\" complexity=\"0\" version=\"covmerge\" "
                "timestamp=\"0\">\n"
                "\t<sources>\n"
                "\t\t<source>.</source>\n"
                "\t</sources>\n"
                "\t<packages>\n"
                "\t</packages>\n"
                "</coverage>\n");
}

TEST(CoberturaWriterTest, FileWithoutStatementsHasRateOne) {
  MergedProfile p;
  p.files.push_back({"e.go", {{1, 1, 9, 1, 0, 3}}});
  const std::string xml = Cobertura(p);
  EXPECT_EQ(Attribute(xml, "package", "name"), ".");
  EXPECT_EQ(Attribute(xml, "class", "line-rate"), "1");
  EXPECT_NE(xml.find("<methods/>\n\t\t\t\t\t<lines>\n\t\t\t\t\t</lines>\n"), std::string::npos);
}

TEST(CoberturaWriterTest, SetModeAndRewrittenPaths) {
  PathRewriter rewriter;
  rewriter.AddRule("example.com/m", "");
  MergedProfile p;
  p.mode = Mode::kSet;
  p.files.push_back({"example.com/m/a/x.go", {{1, 1, 2, 1, 1, 1}, {3, 1, 3, 4, 1, 0}}});
  const std::string xml = Cobertura(p, {}, rewriter);
  EXPECT_EQ(Attribute(xml, "package", "name"), "a");
  EXPECT_EQ(Attribute(xml, "class", "filename"), "a/x.go");
  EXPECT_EQ(Attribute(xml, "class", "line-rate"), "0.6667");
  EXPECT_NE(xml.find("<line number=\"1\" hits=\"1\"/>\n\t\t\t\t\t\t<line number=\"2\" hits=\"1\"/>\n"
                     "\t\t\t\t\t\t<line number=\"3\" hits=\"0\"/>\n"),
            std::string::npos);
}

// A file whose lines first..last are covered, then `missed` more are not.
MergedProfile CoveredThenMissed(uint32_t covered, uint32_t missed) {
  MergedProfile p;
  p.files.push_back({"r.go", {}});
  if (covered > 0) p.files[0].blocks.push_back({1, 1, covered, 1, 1, 1});
  if (missed > 0) p.files[0].blocks.push_back({covered + 1, 1, covered + missed, 1, 1, 0});
  return p;
}

TEST(CoberturaWriterTest, RatesHaveAtMostFourDecimals) {
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(1, 1)), "coverage", "line-rate"), "0.5");
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(1, 3)), "coverage", "line-rate"), "0.25");
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(1, 2)), "coverage", "line-rate"), "0.3333");
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(2, 1)), "coverage", "line-rate"), "0.6667");
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(1, 9)), "coverage", "line-rate"), "0.1");
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(0, 5)), "coverage", "line-rate"), "0");
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(5, 0)), "coverage", "line-rate"), "1");
}

TEST(CoberturaWriterTest, RatesNeverRoundToAFalseZeroOrOne) {
  // 99999/100000 would round to 1.0000 and 1/100000 to 0.0000.
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(99999, 1)), "coverage", "line-rate"), "0.9999");
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(1, 99999)), "coverage", "line-rate"), "0.0001");
  EXPECT_EQ(Attribute(Cobertura(CoveredThenMissed(99990, 10)), "coverage", "line-rate"), "0.9999");
}

TEST(CoberturaWriterTest, TimestampIsInMillisecondsAndSaturates) {
  CoberturaOptions options;
  options.timestamp = -5;
  EXPECT_EQ(Attribute(Cobertura(MergedProfile{}, options), "coverage", "timestamp"), "-5000");
  options.timestamp = INT64_MAX / 10;
  EXPECT_EQ(Attribute(Cobertura(MergedProfile{}, options), "coverage", "timestamp"), "9223372036854775807");
}

TEST(CoberturaWriterTest, WritesLargestLineAndCount) {
  MergedProfile p;
  p.files.push_back({"big.go", {{4294967295u, 1, 4294967295u, 2, 1, kMaxCount}}});
  EXPECT_NE(Cobertura(p).find("<line number=\"4294967295\" hits=\"9223372036854775807\"/>"),
            std::string::npos);
}

TEST(CoberturaWriterTest, EscapesPathsSourceAndClassName) {
  MergedProfile p;
  p.files.push_back({"d&<>\"'/a&<>\"'\x01\t.go", {{1, 1, 1, 2, 1, 1}}});
  CoberturaOptions options;
  options.source = "/r&d <x>";
  const std::string xml = Cobertura(p, options);
  EXPECT_EQ(Attribute(xml, "package", "name"), "d&amp;&lt;&gt;&quot;&apos;");
  EXPECT_EQ(Attribute(xml, "class", "name"), "a&amp;&lt;&gt;&quot;&apos;\xEF\xBF\xBD&#9;");
  EXPECT_EQ(Attribute(xml, "class", "filename"),
            "d&amp;&lt;&gt;&quot;&apos;/a&amp;&lt;&gt;&quot;&apos;\xEF\xBF\xBD&#9;.go");
  EXPECT_NE(xml.find("<source>/r&amp;d &lt;x&gt;</source>"), std::string::npos);
}

std::string Escaped(std::string_view text) {
  std::string out;
  internal::AppendXmlEscaped(&out, text);
  return out;
}

TEST(XmlEscapeTest, KeepsPlainTextAndValidUtf8) {
  EXPECT_EQ(Escaped(""), "");
  EXPECT_EQ(Escaped("github.com/o/r/a_b-c.go ~!@#$%^*()[]{}|\\;:,.?`=+"),
            "github.com/o/r/a_b-c.go ~!@#$%^*()[]{}|\\;:,.?`=+");
  // é (2 bytes), € (3), U+FFFD itself (3), 𝄞 (4), U+10FFFF (4), DEL.
  const std::string_view utf8 = "\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBD\xF0\x9D\x84\x9E\xF4\x8F\xBF\xBD\x7F";
  EXPECT_EQ(Escaped(utf8), utf8);
}

TEST(XmlEscapeTest, EscapesMarkupAndWhitespaceThatParsersWouldNormalize) {
  EXPECT_EQ(Escaped("&<>\"'"), "&amp;&lt;&gt;&quot;&apos;");
  EXPECT_EQ(Escaped("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
}

TEST(XmlEscapeTest, ReplacesWhatXml10CannotHold) {
  const std::string r(internal::kXmlReplacement);
  // C0 controls, even as references, are not XML 1.0 characters.
  EXPECT_EQ(Escaped(std::string_view("\x00\x01\x1F", 3)), r + r + r);
  // Stray continuation byte, 0xC0/0xC1 (overlong), 0xF5+ and 0xFF.
  EXPECT_EQ(Escaped("a\x80" "b\xC0\xAF" "c\xF5\x80\x80\x80" "d\xFF"),
            "a" + r + "b" + r + r + "c" + r + r + r + r + "d" + r);
  // Truncated sequences, at the end and before an ASCII byte.
  EXPECT_EQ(Escaped("\xE2\x82"), r + r);
  EXPECT_EQ(Escaped("\xF0\x9D\x84" "x"), r + r + r + "x");
  // Overlong three-byte form of '/', a surrogate, U+FFFE, U+FFFF, > U+10FFFF.
  EXPECT_EQ(Escaped("\xE0\x80\xAF"), r + r + r);
  EXPECT_EQ(Escaped("\xED\xA0\x80"), r + r + r);
  EXPECT_EQ(Escaped("\xEF\xBF\xBE"), r + r + r);
  EXPECT_EQ(Escaped("\xEF\xBF\xBF"), r + r + r);
  EXPECT_EQ(Escaped("\xF4\x90\x80\x80"), r + r + r + r);
}

MergedProfile LargeProfile() {
  // One block of 100,000 lines gives about 4 MB of <line> elements.
  MergedProfile p;
  p.files.push_back({"large.go", {{1, 1, 100000, 1, 1, 12345}}});
  return p;
}

TEST(CoberturaWriterTest, StreamsInPiecesOfAboutAMegabyte) {
  const MergedProfile profile = LargeProfile();  // the summary points into it
  const CoverageSummary summary = Summarize(profile, PathRewriter{});
  std::string out;
  int calls = 0;
  ASSERT_TRUE(WriteCobertura(summary, {}, [&](std::string_view bytes) {
                ++calls;
                EXPECT_LE(bytes.size(), (1u << 20) + 4096);
                out.append(bytes);
                return absl::OkStatus();
              }).ok());
  EXPECT_GE(calls, 3);
  EXPECT_NE(out.find("<line number=\"100000\" hits=\"12345\"/>\n"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 12), "</coverage>\n");
}

TEST(CoberturaWriterTest, ReturnsTheFirstSinkError) {
  const MergedProfile profile = LargeProfile();  // the summary points into it
  const CoverageSummary summary = Summarize(profile, PathRewriter{});
  int calls = 0;
  const absl::Status status = WriteCobertura(summary, {}, [&](std::string_view) {
    ++calls;
    return absl::DataLossError("disk full");
  });
  EXPECT_EQ(status, absl::DataLossError("disk full"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace covmerge
