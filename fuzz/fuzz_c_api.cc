// SPDX-License-Identifier: Apache-2.0
// Drives the C API (covmerge.h) with the bytes: the first byte picks the
// options (threads 1 to 4, conflict policy, expected mode), the rest is 1 to
// 3 buffers separated by "|||". Then finish, write_buffer, write_callback,
// summary and every accessor, in and out of range, the report, every export
// and the gate with the merge as its own baseline. Nothing may crash, and
// every status must be one the header documents for that call, with the
// error struct filled to match.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "covmerge.h"
#include "fuzz_check.h"

namespace {

// The error struct matches the status: code, NUL-terminated strings, and a
// message on every failure.
void CheckError(covmerge_status status, const covmerge_error& error, const char* call) {
  FUZZ_CHECK(error.code == status, "%s: returned %d, error.code %d", call, status, error.code);
  FUZZ_CHECK(std::memchr(error.message, '\0', sizeof error.message) != nullptr, "%s: message not terminated",
             call);
  FUZZ_CHECK(std::memchr(error.input, '\0', sizeof error.input) != nullptr, "%s: input not terminated", call);
  if (status == COVMERGE_OK) {
    FUZZ_CHECK(error.message[0] == '\0', "%s: a message on success: %s", call, error.message);
  } else {
    FUZZ_CHECK(error.message[0] != '\0', "%s: %s without a message", call, covmerge_status_name(status));
  }
  FUZZ_CHECK(status != COVMERGE_ERROR_INTERNAL, "%s: internal error: %s", call, error.message);
}

int StopAfterFirst(void* user_data, const void*, size_t) {
  ++*static_cast<int*>(user_data);
  return 7;
}

int Append(void* user_data, const void* data, size_t size) {
  static_cast<std::string*>(user_data)->append(static_cast<const char*>(data), size);
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 64 * 1024) return 0;
  const uint8_t control = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

  covmerge_options options;
  covmerge_options_init(&options);
  options.threads = 1 + (control & 3);
  options.on_conflict = (control >> 2) & 1 ? COVMERGE_CONFLICT_SKIP : COVMERGE_CONFLICT_FAIL;
  options.expected_mode = (control >> 3) & 3;
  covmerge_error error;
  covmerge_merger* merger = nullptr;
  covmerge_status s = covmerge_merger_create(&options, &merger, &error);
  CheckError(s, error, "create");
  FUZZ_CHECK(s == COVMERGE_OK && merger != nullptr, "create failed: %s", error.message);

  // Results before finish are usage errors.
  covmerge_summary summary;
  std::memset(&summary, 0, sizeof summary);
  summary.struct_size = sizeof summary;
  s = covmerge_merger_summary(merger, &summary, &error);
  CheckError(s, error, "summary before finish");
  FUZZ_CHECK(s == COVMERGE_ERROR_USAGE, "summary before finish: %s", covmerge_status_name(s));

  int buffers = 0;
  while (true) {
    const size_t at = buffers < 2 ? rest.find("|||") : std::string_view::npos;
    const std::string_view piece = rest.substr(0, at);
    const std::string name = "buffer" + std::to_string(buffers++);
    s = covmerge_merger_add_buffer(merger, name.c_str(), piece.empty() ? nullptr : piece.data(), piece.size(),
                                   &error);
    CheckError(s, error, "add_buffer");
    FUZZ_CHECK(s == COVMERGE_OK, "add_buffer: %s", error.message);
    if (at == std::string_view::npos) break;
    rest.remove_prefix(at + 3);
  }

  s = covmerge_merger_finish(merger, &error);
  CheckError(s, error, "finish");
  if (s != COVMERGE_OK) {
    FUZZ_CHECK(s == COVMERGE_ERROR_MALFORMED || s == COVMERGE_ERROR_CONFLICT || s == COVMERGE_ERROR_OUT_OF_MEMORY,
               "finish: unexpected %s: %s", covmerge_status_name(s), error.message);
    // Everything after a failed finish is a usage error.
    s = covmerge_merger_finish(merger, &error);
    CheckError(s, error, "finish again");
    FUZZ_CHECK(s == COVMERGE_ERROR_USAGE, "finish after failure: %s", covmerge_status_name(s));
    size_t needed = 0;
    s = covmerge_merger_write_buffer(merger, nullptr, 0, &needed, &error);
    CheckError(s, error, "write_buffer after failure");
    FUZZ_CHECK(s == COVMERGE_ERROR_USAGE, "write_buffer after failure: %s", covmerge_status_name(s));
    covmerge_merger_free(merger);
    return 0;
  }
  s = covmerge_merger_finish(merger, &error);
  CheckError(s, error, "finish again");
  FUZZ_CHECK(s == COVMERGE_OK, "finish again: %s", covmerge_status_name(s));
  s = covmerge_merger_add_buffer(merger, "late", "mode: set\n", 10, &error);
  CheckError(s, error, "add_buffer after finish");
  FUZZ_CHECK(s == COVMERGE_ERROR_USAGE, "add_buffer after finish: %s", covmerge_status_name(s));

  // The text: its size first, then into a buffer one byte short, then exact.
  size_t needed = 0;
  s = covmerge_merger_write_buffer(merger, nullptr, 0, &needed, &error);
  CheckError(s, error, "write_buffer size");
  FUZZ_CHECK(s == (needed == 0 ? COVMERGE_OK : COVMERGE_ERROR_BUFFER_TOO_SMALL), "write_buffer(NULL, 0): %s",
             covmerge_status_name(s));
  std::string text(needed, '\0');
  if (needed > 0) {
    size_t got = 0;
    s = covmerge_merger_write_buffer(merger, text.data(), needed - 1, &got, &error);
    CheckError(s, error, "write_buffer short");
    FUZZ_CHECK(s == COVMERGE_ERROR_BUFFER_TOO_SMALL && got == needed, "write_buffer short: %s, size %zu of %zu",
               covmerge_status_name(s), got, needed);
    s = covmerge_merger_write_buffer(merger, text.data(), needed, &got, &error);
    CheckError(s, error, "write_buffer");
    FUZZ_CHECK(s == COVMERGE_OK && got == needed, "write_buffer: %s, size %zu of %zu", covmerge_status_name(s),
               got, needed);
    FUZZ_CHECK(text.starts_with("mode: "), "the text does not start with the mode line");
  }
  std::string streamed;
  s = covmerge_merger_write_callback(merger, Append, &streamed, &error);
  CheckError(s, error, "write_callback");
  FUZZ_CHECK(s == COVMERGE_OK && streamed == text, "write_callback: %s, %zu bytes of %zu", covmerge_status_name(s),
             streamed.size(), text.size());
  if (!text.empty()) {
    int calls = 0;
    s = covmerge_merger_write_callback(merger, StopAfterFirst, &calls, &error);
    CheckError(s, error, "write_callback stopped");
    FUZZ_CHECK(s == COVMERGE_ERROR_CALLBACK && calls == 1, "stopped write_callback: %s after %d calls",
               covmerge_status_name(s), calls);
  }

  s = covmerge_merger_summary(merger, &summary, &error);
  CheckError(s, error, "summary");
  FUZZ_CHECK(s == COVMERGE_OK, "summary: %s", error.message);
  FUZZ_CHECK(summary.mode >= COVMERGE_MODE_ANY && summary.mode <= COVMERGE_MODE_ATOMIC, "mode %d", summary.mode);
  FUZZ_CHECK((summary.mode == COVMERGE_MODE_ANY) == (summary.file_count == 0), "mode %d with %zu files",
             summary.mode, summary.file_count);
  FUZZ_CHECK(summary.total.covered <= summary.total.statements, "covered above statements");
  FUZZ_CHECK(summary.total.percent >= 0 && summary.total.percent <= 100, "percent %f", summary.total.percent);
  FUZZ_CHECK(summary.inputs_merged + summary.skipped_count == static_cast<uint64_t>(buffers),
             "%llu merged + %zu skipped of %d", static_cast<unsigned long long>(summary.inputs_merged),
             summary.skipped_count, buffers);
  if (options.on_conflict == COVMERGE_CONFLICT_FAIL) {
    FUZZ_CHECK(summary.skipped_count == 0, "%zu skipped without the skip policy", summary.skipped_count);
  }
  if (options.expected_mode != COVMERGE_MODE_ANY && summary.file_count > 0) {
    FUZZ_CHECK(summary.mode == options.expected_mode, "mode %d, expected %d", summary.mode, options.expected_mode);
  }

  uint64_t statements = 0;
  uint64_t covered = 0;
  std::string previous_path;
  for (size_t f = 0; f < summary.file_count; ++f) {
    covmerge_file file;
    s = covmerge_merger_file(merger, f, &file, &error);
    CheckError(s, error, "file");
    FUZZ_CHECK(s == COVMERGE_OK && file.path != nullptr, "file %zu: %s", f, error.message);
    FUZZ_CHECK(f == 0 || previous_path < file.path, "files out of order at %zu", f);
    previous_path = file.path;
    FUZZ_CHECK(file.block_count > 0, "file %zu has no blocks", f);
    uint64_t file_statements = 0;
    for (size_t b = 0; b < file.block_count; ++b) {
      covmerge_block block;
      s = covmerge_merger_block(merger, f, b, &block, &error);
      CheckError(s, error, "block");
      FUZZ_CHECK(s == COVMERGE_OK, "block %zu of file %zu: %s", b, f, error.message);
      FUZZ_CHECK(block.count <= 9223372036854775807ull, "count above MaxInt64");
      file_statements += block.num_stmt;
      if (block.count > 0) covered += block.num_stmt;
    }
    FUZZ_CHECK(file_statements == file.coverage.statements, "file %zu: %llu statements in blocks, %llu said", f,
               static_cast<unsigned long long>(file_statements),
               static_cast<unsigned long long>(file.coverage.statements));
    statements += file_statements;
    covmerge_block block;
    s = covmerge_merger_block(merger, f, file.block_count, &block, &error);
    CheckError(s, error, "block out of range");
    FUZZ_CHECK(s == COVMERGE_ERROR_USAGE, "block out of range: %s", covmerge_status_name(s));
  }
  FUZZ_CHECK(statements == summary.total.statements && covered == summary.total.covered,
             "totals %llu/%llu, blocks %llu/%llu", static_cast<unsigned long long>(summary.total.covered),
             static_cast<unsigned long long>(summary.total.statements), static_cast<unsigned long long>(covered),
             static_cast<unsigned long long>(statements));
  covmerge_file file;
  s = covmerge_merger_file(merger, summary.file_count, &file, &error);
  CheckError(s, error, "file out of range");
  FUZZ_CHECK(s == COVMERGE_ERROR_USAGE, "file out of range: %s", covmerge_status_name(s));

  size_t package_files = 0;
  for (size_t p = 0; p < summary.package_count; ++p) {
    covmerge_package package;
    s = covmerge_merger_package(merger, p, &package, &error);
    CheckError(s, error, "package");
    FUZZ_CHECK(s == COVMERGE_OK && package.name != nullptr, "package %zu: %s", p, error.message);
    package_files += package.file_count;
  }
  FUZZ_CHECK(package_files == summary.file_count, "packages hold %zu files of %zu", package_files,
             summary.file_count);
  covmerge_package package;
  s = covmerge_merger_package(merger, summary.package_count, &package, &error);
  CheckError(s, error, "package out of range");
  FUZZ_CHECK(s == COVMERGE_ERROR_USAGE, "package out of range: %s", covmerge_status_name(s));

  for (size_t i = 0; i <= summary.skipped_count; ++i) {
    covmerge_skipped_input skipped;
    s = covmerge_merger_skipped(merger, i, &skipped, &error);
    CheckError(s, error, "skipped");
    if (i == summary.skipped_count) {
      FUZZ_CHECK(s == COVMERGE_ERROR_USAGE, "skipped out of range: %s", covmerge_status_name(s));
    } else {
      FUZZ_CHECK(s == COVMERGE_OK && skipped.name && skipped.reason && skipped.reason[0], "skipped %zu", i);
    }
  }
  for (size_t i = 0; i <= summary.warning_count; ++i) {
    const char* message = nullptr;
    s = covmerge_merger_warning(merger, i, &message, &error);
    CheckError(s, error, "warning");
    if (i == summary.warning_count) {
      FUZZ_CHECK(s == COVMERGE_ERROR_USAGE, "warning out of range: %s", covmerge_status_name(s));
    } else {
      FUZZ_CHECK(s == COVMERGE_OK && message && message[0], "warning %zu", i);
    }
  }

  // The report, every export and the gate: a block spanning too many lines
  // is the only failure they may have.
  covmerge_report report;
  report.struct_size = sizeof report;
  s = covmerge_merger_report(merger, &report, &error);
  CheckError(s, error, "report");
  if (s == COVMERGE_OK) {
    FUZZ_CHECK(report.total.statements == summary.total.statements && report.file_count == summary.file_count,
               "the report's totals differ from the summary's");
    FUZZ_CHECK(report.lines.covered <= report.lines.lines, "lines covered above lines");
    for (int format = COVMERGE_FORMAT_PROFILE; format <= COVMERGE_FORMAT_HTML; ++format) {
      size_t export_size = 0;
      s = covmerge_merger_export_buffer(merger, format, nullptr, nullptr, 0, &export_size, &error);
      CheckError(s, error, "export_buffer size");
      FUZZ_CHECK(s == COVMERGE_OK || s == COVMERGE_ERROR_BUFFER_TOO_SMALL, "export %d: %s", format, error.message);
      if (format == COVMERGE_FORMAT_PROFILE) FUZZ_CHECK(export_size == text.size(), "profile export size");
    }
    covmerge_gate_options gate_options;
    covmerge_gate_options_init(&gate_options);
    gate_options.baseline_data = text.data();
    gate_options.baseline_size = text.size();
    covmerge_gate* gate = nullptr;
    s = covmerge_merger_gate(merger, &gate_options, &gate, &error);
    CheckError(s, error, "gate");
    if (s == COVMERGE_OK) {
      covmerge_verdict verdict;
      verdict.struct_size = sizeof verdict;
      s = covmerge_gate_verdict(gate, &verdict, &error);
      CheckError(s, error, "verdict");
      // The merged profile as its own baseline: nothing fell.
      FUZZ_CHECK(s == COVMERGE_OK && verdict.passed == 1, "a merge fell below itself: %s", error.message);
    } else {
      FUZZ_CHECK(s == COVMERGE_ERROR_MALFORMED && text.empty(), "gate: %s", error.message);
    }
    covmerge_gate_free(gate);
  } else {
    FUZZ_CHECK(s == COVMERGE_ERROR_MALFORMED, "report: %s", error.message);
  }
  covmerge_merger_free(merger);
  return 0;
}
