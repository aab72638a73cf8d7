// SPDX-License-Identifier: Apache-2.0
// Unit tests for covmerge/error.h: an Error survives the trip through a
// status, its message is built from its fields, and the merge fills the
// fields from real bad input (the kind, both sides of a conflict, the
// index, line, column and offset), so that the bindings never read them out
// of the text. Cancellation stops a merge with kCancelled.
#include "covmerge/error.h"

#include <cerrno>
#include <atomic>
#include <cstring>
#include <optional>
#include <string>

#include "base/str_cat.h"
#include "covmerge/merger.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

Error ErrorFrom(const absl::Status& status) {
  std::optional<Error> error = ErrorOf(status);
  EXPECT_TRUE(error.has_value()) << status;
  return error.value_or(Error{});
}

absl::Status MergeBuffers(std::initializer_list<std::pair<std::string, std::string>> inputs, int threads = 2) {
  MergeOptions options;
  options.threads = threads;
  Merger merger(options);
  for (const auto& [name, text] : inputs) merger.AddBuffer(name, text);
  return merger.Finish().status();
}

TEST(ErrorTest, EveryFieldSurvivesTheStatus) {
  const Error in{.kind = ErrorKind::kConflict,
                 .path = std::string("a\0b.out", 7),
                 .input_index = 7,
                 .line = 3,
                 .column = 9,
                 .offset = 41,
                 .os_error = 0,
                 .other_path = "b.out",
                 .other_input_index = 0,
                 .other_line = 12,
                 .action = "",
                 .detail = "block x"};
  const absl::Status status = ErrorStatus(in);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  const Error out = ErrorFrom(status);
  EXPECT_EQ(out.kind, in.kind);
  EXPECT_EQ(out.path, in.path);
  EXPECT_EQ(out.input_index, in.input_index);
  EXPECT_EQ(out.line, 3u);
  EXPECT_EQ(out.column, 9u);
  EXPECT_EQ(out.offset, in.offset);
  EXPECT_EQ(out.other_path, "b.out");
  EXPECT_EQ(out.other_input_index, std::optional<uint64_t>(0));
  EXPECT_EQ(out.other_line, 12u);
  EXPECT_EQ(out.detail, "block x");
}

TEST(ErrorTest, TheMessageIsBuiltFromTheFields) {
  EXPECT_EQ(FormatError({.kind = ErrorKind::kMalformed, .path = "a.out", .line = 3, .column = 9,
                         .detail = "expected a count"}),
            "a.out:3:9: expected a count");
  EXPECT_EQ(FormatError({.kind = ErrorKind::kMalformed, .path = "my dir/a.out", .detail = "damaged"}),
            "\"my dir/a.out\": damaged");
  EXPECT_EQ(FormatError({.kind = ErrorKind::kIo, .path = "a.out", .os_error = ENOENT, .action = "cannot open"}),
            internal::Cat("cannot open a.out: ", std::strerror(ENOENT)));
  EXPECT_EQ(FormatError({.kind = ErrorKind::kCancelled, .detail = "the merge was cancelled"}),
            "the merge was cancelled");
}

TEST(ErrorTest, AFullDiskIsNotOutOfMemory) {
  for (int number : {ENOSPC, EDQUOT, EFBIG}) {
    EXPECT_EQ(ErrorFrom(OsErrorStatus(number, "cannot write", "out")).kind, ErrorKind::kDiskFull) << number;
  }
  EXPECT_EQ(ErrorFrom(OsErrorStatus(ENOMEM, "cannot read", "a.out")).kind, ErrorKind::kOutOfMemory);
  const Error denied = ErrorFrom(OsErrorStatus(EACCES, "cannot open", "a.out"));
  EXPECT_EQ(denied.kind, ErrorKind::kIo);
  EXPECT_EQ(denied.os_error, EACCES);
  EXPECT_EQ(ErrorStatus(denied).code(), absl::StatusCode::kPermissionDenied);
}

TEST(ErrorTest, AStatusMadeElsewhereIsDescribedByItsCode) {
  EXPECT_FALSE(ErrorOf(absl::NotFoundError("x")).has_value());
  const Error error = ErrorOrDescribe(absl::NotFoundError("no such thing"));
  EXPECT_EQ(error.kind, ErrorKind::kIo);
  EXPECT_EQ(error.detail, "no such thing");
}

TEST(ErrorTest, AMalformedLineNamesTheInputLineColumnAndOffset) {
  const std::string good = "mode: set\nx/a.go:1.1,2.2 1 1\n";
  const std::string bad = "mode: set\nx/a.go:1.1,2.2 1 1\nx/a.go:3.1,4.2 x 1\n";
  const Error error = ErrorFrom(MergeBuffers({{"good.out", good}, {"bad.out", bad}}));
  EXPECT_EQ(error.kind, ErrorKind::kMalformed);
  EXPECT_EQ(error.path, "bad.out");
  EXPECT_EQ(error.input_index, std::optional<uint64_t>(1));
  EXPECT_EQ(error.line, 3u);
  EXPECT_EQ(error.column, 16u);
  EXPECT_EQ(error.offset, std::optional<uint64_t>(bad.rfind("x/a.go")));
  EXPECT_EQ(FormatError(error).substr(0, 14), "bad.out:3:16: ");
}

TEST(ErrorTest, AConflictNamesBothSides) {
  const Error error = ErrorFrom(MergeBuffers({{"a.out", "mode: set\nx/a.go:1.1,2.2 1 1\n"},
                                              {"b.out", "mode: set\n\nx/a.go:1.1,2.2 5 1\n"}}));
  EXPECT_EQ(error.kind, ErrorKind::kConflict);
  EXPECT_EQ(error.path, "b.out");
  EXPECT_EQ(error.input_index, std::optional<uint64_t>(1));
  EXPECT_EQ(error.line, 3u);
  EXPECT_EQ(error.other_path, "a.out");
  EXPECT_EQ(error.other_input_index, std::optional<uint64_t>(0));
  EXPECT_EQ(error.other_line, 2u);
}

TEST(ErrorTest, AModeMismatchNamesTheInputThatSetTheMode) {
  const Error error = ErrorFrom(MergeBuffers({{"a.out", "mode: set\nx/a.go:1.1,2.2 1 1\n"},
                                              {"b.out", "mode: count\nx/b.go:1.1,2.2 1 1\n"}}));
  EXPECT_EQ(error.kind, ErrorKind::kModeMismatch);
  EXPECT_EQ(error.path, "b.out");
  EXPECT_EQ(error.line, 1u);
  EXPECT_EQ(error.other_path, "a.out");
  EXPECT_EQ(error.other_input_index, std::optional<uint64_t>(0));
}

TEST(ErrorTest, AMissingFileIsIoWithItsErrno) {
  Merger merger;
  merger.AddBuffer("a.out", "mode: set\n");
  merger.AddFile("/nonexistent/covmerge/a.out");
  const Error error = ErrorFrom(merger.Finish().status());
  EXPECT_EQ(error.kind, ErrorKind::kIo);
  EXPECT_EQ(error.os_error, ENOENT);
  EXPECT_EQ(error.path, "/nonexistent/covmerge/a.out");
  EXPECT_EQ(error.input_index, std::optional<uint64_t>(1));
}

TEST(ErrorTest, ACancelledMergeStopsWithCancelled) {
  std::atomic<int> calls{0};
  MergeOptions options;
  options.threads = 2;
  options.chunk_bytes = 64;  // many pieces, so the check runs between them
  options.cancelled = [&calls] { return calls.fetch_add(1) >= 3; };
  Merger merger(options);
  std::string text = "mode: count\n";
  for (int i = 1; i < 200; ++i) internal::Append(&text, "x/a.go:", i, ".1,", i, ".9 1 1\n");
  merger.AddBuffer("a.out", text);
  const absl::Status status = merger.Finish().status();
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(ErrorFrom(status).kind, ErrorKind::kCancelled);
}

}  // namespace
}  // namespace covmerge
