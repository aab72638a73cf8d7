// SPDX-License-Identifier: Apache-2.0
// A line-at-a-time reader of unified diffs. File headers ("diff --git",
// "---", "+++", "rename to") only name files; a hunk ("@@ -a,b +c,d @@")
// is read for exactly its b old and d new lines, so a removed line that
// reads "--- x" is never taken for a header.
#include "covmerge/diff.h"

#include <charconv>

#include "base/str_cat.h"
#include "covmerge/error.h"
#include "io/input_file.h"
#include "io/scratch_buffer.h"

namespace covmerge {
namespace {

using internal::Cat;

// Git quotes a path with unusual bytes: "b/a\tb.go", with C escapes and
// octal bytes.
std::string Unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] != '\\' || i + 2 >= s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    switch (c) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      default:
        if (c >= '0' && c <= '7' && i + 2 < s.size()) {
          out += static_cast<char>(((c - '0') << 6) | ((s[i + 1] - '0') << 3) | (s[i + 2] - '0'));
          i += 2;
        } else {
          out += c;
        }
    }
  }
  return out;
}

// The path of a "+++ " or "--- " line: up to a tab (diff -u's timestamp),
// unquoted, without git's one-letter prefix.
std::string HeaderPath(std::string_view rest, bool strip_prefix) {
  if (const size_t tab = rest.find('\t'); tab != std::string_view::npos) rest = rest.substr(0, tab);
  std::string path = Unquote(rest);
  if (strip_prefix && path.size() > 2 && path[1] == '/') path.erase(0, 2);
  return path;
}

bool ReadCount(std::string_view* s, uint64_t* value) {
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), *value);
  if (ec != std::errc() || end == s->data()) return false;
  s->remove_prefix(static_cast<size_t>(end - s->data()));
  return true;
}

// "-a[,b] +c[,d] @@": the new side's start and both counts.
bool ParseHunkHeader(std::string_view s, uint64_t* old_count, uint64_t* new_start, uint64_t* new_count) {
  uint64_t old_start = 0;
  *old_count = 1;
  *new_count = 1;
  if (!s.starts_with("-")) return false;
  s.remove_prefix(1);
  if (!ReadCount(&s, &old_start)) return false;
  if (s.starts_with(",")) {
    s.remove_prefix(1);
    if (!ReadCount(&s, old_count)) return false;
  }
  if (!s.starts_with(" +")) return false;
  s.remove_prefix(2);
  if (!ReadCount(&s, new_start)) return false;
  if (s.starts_with(",")) {
    s.remove_prefix(1);
    if (!ReadCount(&s, new_count)) return false;
  }
  return s.starts_with(" @@");
}

}  // namespace

absl::StatusOr<std::vector<ChangedFile>> ParseUnifiedDiff(std::string_view name, std::string_view text) {
  std::vector<ChangedFile> files;
  ChangedFile current;
  bool have_file = false;
  bool git_prefixes = true;  // "a/" and "b/", unless --no-prefix
  uint64_t old_left = 0, new_left = 0, new_line = 0;
  auto finish = [&] {
    if (have_file && !current.path.empty() && !current.lines.empty()) files.push_back(std::move(current));
    current = ChangedFile();
    have_file = false;
  };
  uint64_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (old_left > 0 || new_left > 0) {  // inside a hunk
      const char kind = line.empty() ? ' ' : line[0];  // an empty line is an empty context line
      if (kind == '\\') continue;                      // "\ No newline at end of file"
      if (kind == '+' && new_left > 0) {
        if (new_line > UINT32_MAX) {
          return ErrorStatus({.kind = ErrorKind::kMalformed, .path = std::string(name), .line = line_number,
                              .detail = "a line number above 4294967295"});
        }
        current.lines.push_back(static_cast<uint32_t>(new_line++));
        --new_left;
      } else if (kind == '-' && old_left > 0) {
        --old_left;
      } else if (kind == ' ' && old_left > 0 && new_left > 0) {
        ++new_line;
        --old_left;
        --new_left;
      } else {
        return ErrorStatus({.kind = ErrorKind::kMalformed, .path = std::string(name), .line = line_number,
                            .detail = Cat("expected ", old_left, " more old and ", new_left,
                                          " more new lines of the hunk, found \"", line.substr(0, 40),
                                          "\"; is the diff cut short or edited?")});
      }
      continue;
    }
    if (line.starts_with("diff --git ")) {
      finish();
      have_file = true;
      // The new side's path, until "+++" or "rename to" says it for sure:
      // "diff --git a/x b/x" without quotes splits in the middle.
      const std::string_view rest = line.substr(11);
      git_prefixes = rest.starts_with("a/") || rest.starts_with("\"a/");
      const size_t half = (rest.size() - 1) / 2;
      const size_t prefix = git_prefixes ? 2 : 0;
      if (rest.size() % 2 == 1 && rest[half] == ' ' &&
          rest.substr(prefix, half - prefix) == rest.substr(half + 1 + prefix)) {
        current.path = HeaderPath(rest.substr(half + 1), git_prefixes);
      }
    } else if (line.starts_with("new file mode")) {
      current.new_file = true;
    } else if (line.starts_with("rename to ")) {
      current.path = Unquote(line.substr(10));
    } else if (line.starts_with("--- ")) {
      if (!have_file) {
        finish();
        have_file = true;  // diff -u: no "diff --git" line before the headers
        git_prefixes = line.substr(4).starts_with("a/");
      }
      if (line.substr(4).starts_with("/dev/null")) current.new_file = true;
    } else if (line.starts_with("+++ ")) {
      const std::string_view rest = line.substr(4);
      if (rest.starts_with("/dev/null")) {
        current.path.clear();  // deleted: no new side
      } else {
        current.path = HeaderPath(rest, git_prefixes);
      }
    } else if (line.starts_with("@@ ")) {
      if (!have_file) {
        return ErrorStatus({.kind = ErrorKind::kMalformed, .path = std::string(name), .line = line_number,
                            .detail = "a hunk before any file header (---/+++ or diff --git)"});
      }
      if (!ParseHunkHeader(line.substr(3), &old_left, &new_line, &new_left)) {
        return ErrorStatus({.kind = ErrorKind::kMalformed, .path = std::string(name), .line = line_number,
                            .detail = Cat("expected a hunk header \"@@ -a,b +c,d @@\", found \"",
                                          line.substr(0, 60), "\"")});
      }
    }
    // Anything else between files (index lines, mode lines, "Binary files
    // ... differ", a commit message of `git show`) names no changed line.
  }
  if (old_left > 0 || new_left > 0) {
    return ErrorStatus({.kind = ErrorKind::kMalformed, .path = std::string(name), .line = line_number,
                        .detail = Cat("the diff ends inside a hunk, ", old_left + new_left, " lines short")});
  }
  finish();
  return files;
}

absl::StatusOr<std::vector<ChangedFile>> LoadUnifiedDiff(const std::string& path) {
  internal::ScratchBuffer buffer;
  absl::StatusOr<std::string_view> text = internal::ReadWholeFile(path == "-" ? "/dev/stdin" : path, &buffer);
  if (!text.ok()) return text.status();
  return ParseUnifiedDiff(path == "-" ? "<stdin>" : path, *text);
}

}  // namespace covmerge
