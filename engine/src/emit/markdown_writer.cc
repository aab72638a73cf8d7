// SPDX-License-Identifier: Apache-2.0
// The Markdown summary of `covmerge report --markdown FILE`, for a pull
// request comment or GitHub's job summary ($GITHUB_STEP_SUMMARY): the
// verdict, the total and its change against the baseline, patch coverage,
// the packages that fell, are new or are gone, and the changed lines no
// test ran, capped so that a large change stays readable.
#include <cstdio>
#include <string>

#include "base/str_cat.h"
#include "covmerge/exports.h"

namespace covmerge {
namespace {

using internal::Append;

// How many packages and uncovered ranges are listed before "N more".
constexpr size_t kListed = 25;

std::string Percent(const Coverage& c) { return internal::Cat(FormatPercent(c.Percent()), "%"); }

std::string Points(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.2f", value);
  return text;
}

// A name in a table cell: in backticks, with '|' and '`' kept out of the
// way of the table.
std::string Code(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') {
      out += '\'';
    } else if (c == '|') {
      out += "\\|";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
    } else {
      out += c;
    }
  }
  out += '`';
  return out;
}

}  // namespace

absl::Status WriteMarkdownSummary(const CoverageSummary& summary, const MarkdownInputs& inputs,
                                  const ByteSink& sink) {
  std::string out;
  const bool gated = inputs.gate != nullptr;
  Append(&out, "### Coverage ", Percent(summary.total), gated ? (inputs.gate->passed ? ": passed" : ": failed") : "",
         "\n\n");
  Append(&out, "| | coverage | statements |\n|---|---:|---:|\n");
  Append(&out, "| total | **", Percent(summary.total), "** | ", summary.total.covered, " of ",
         summary.total.statements, " |\n");
  if (inputs.baseline != nullptr) {
    const double change = summary.total.Percent() - inputs.baseline->total.Percent();
    Append(&out, "| baseline | ", Percent(inputs.baseline->total), " (", Points(change), " points) | ",
           inputs.baseline->total.covered, " of ", inputs.baseline->total.statements, " |\n");
  }
  if (inputs.patch != nullptr) {
    const PatchCoverage& patch = *inputs.patch;
    Append(&out, "| patch | **", patch.total.statements == 0 ? "n/a" : Percent(patch.total), "** | ",
           patch.total.covered, " of ", patch.total.statements, " in ", patch.files.size(), " changed file",
           patch.files.size() == 1 ? "" : "s", " |\n");
  }
  if (gated && !inputs.gate->failures.empty()) {
    out += "\n**Failed:**\n";
    for (const std::string& failure : inputs.gate->failures) Append(&out, "- ", failure, "\n");
  }
  if (gated && !inputs.gate->changes.empty()) {
    out += "\n| package | change | before | after |\n|---|---|---:|---:|\n";
    size_t listed = 0;
    for (const PackageChange& c : inputs.gate->changes) {
      if (listed++ == kListed) break;
      const char* kind = c.kind == PackageChange::Kind::kFell ? "fell" : c.kind == PackageChange::Kind::kNew ? "new" : "gone";
      Append(&out, "| ", Code(c.name), " | ", kind, " | ",
             c.kind == PackageChange::Kind::kNew ? "" : Percent(c.before), " | ",
             c.kind == PackageChange::Kind::kGone ? "" : Percent(c.after), " |\n");
    }
    if (inputs.gate->changes.size() > kListed) {
      Append(&out, "\nand ", inputs.gate->changes.size() - kListed, " more packages\n");
    }
  }
  if (inputs.patch != nullptr) {
    size_t total = 0;
    for (const PatchFile& file : inputs.patch->files) total += file.uncovered.size();
    if (total > 0) {
      out += "\n<details><summary>Changed lines no test ran</summary>\n\n";
      size_t listed = 0;
      for (const PatchFile& file : inputs.patch->files) {
        for (const auto& range : file.uncovered) {
          if (listed++ < kListed) Append(&out, "- ", Code(DescribeRange(file.path, range)), "\n");
        }
      }
      if (total > kListed) Append(&out, "- and ", total - kListed, " more\n");
      out += "\n</details>\n";
    }
    for (const std::string& path : inputs.patch->unmeasured) {
      Append(&out, "\nChanged, but in no profile: ", Code(path), "\n");
    }
  }
  return sink(out);
}

}  // namespace covmerge
