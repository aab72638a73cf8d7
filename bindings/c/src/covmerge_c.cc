// SPDX-License-Identifier: Apache-2.0
// The C API (covmerge.h) over MergeSession. Each entry point checks its
// arguments, runs inside Guard(), which turns every exception into a status
// (as fmt's fmt-c.cc does), and fills the caller's covmerge_error. Nothing
// but the covmerge_* functions is exported (see the version script in
// CMakeLists.txt).
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <utility>

#include "c_boundary.h"
#include "covmerge.h"
#include "error_info.h"
#include "merge_session.h"

namespace covmerge::internal {
namespace {

// The first version's covmerge_options ended with use_mmap, and its
// covmerge_summary with bytes_read; callers built against it pass these
// sizes, later callers larger ones.
constexpr size_t kOptionsV1Size = offsetof(covmerge_options, use_mmap) + sizeof(int);
constexpr size_t kSummaryV1Size = offsetof(covmerge_summary, bytes_read) + sizeof(uint64_t);

covmerge_status Convert(const covmerge_options* in, SessionOptions* out, ErrorInfo* problem) {
  covmerge_options o;
  covmerge_options_init(&o);
  if (in != nullptr) {
    const size_t size = in->struct_size;
    if (size < kOptionsV1Size) {
      *problem = UsageError("covmerge_merger_create: options->struct_size is " + std::to_string(size) +
                            "; set it to sizeof(covmerge_options) (covmerge_options_init does)");
      return problem->code;
    }
    // A newer caller's fields that this version does not know must be
    // unset, or the caller would believe them applied.
    const unsigned char* bytes = reinterpret_cast<const unsigned char*>(in);
    for (size_t i = sizeof(covmerge_options); i < size; ++i) {
      if (bytes[i] != 0) {
        *problem = UsageError("covmerge_merger_create: the options set fields this version (" +
                              std::string(covmerge_version()) + ") does not know");
        return problem->code;
      }
    }
    std::memcpy(&o, in, std::min(size, sizeof(covmerge_options)));
    o.struct_size = sizeof(covmerge_options);
  }
  if (o.threads < 0 || o.threads > 1024) {
    *problem = UsageError("covmerge_merger_create: threads is " + std::to_string(o.threads) +
                          "; use 1 to 1024, or 0 for one per core");
    return problem->code;
  }
  switch (o.expected_mode) {
    case COVMERGE_MODE_ANY: out->expected_mode = std::nullopt; break;
    case COVMERGE_MODE_SET: out->expected_mode = Mode::kSet; break;
    case COVMERGE_MODE_COUNT: out->expected_mode = Mode::kCount; break;
    case COVMERGE_MODE_ATOMIC: out->expected_mode = Mode::kAtomic; break;
    default:
      *problem = UsageError("covmerge_merger_create: expected_mode is " + std::to_string(o.expected_mode) +
                            "; use a covmerge_mode (COVMERGE_MODE_ANY, _SET, _COUNT or _ATOMIC)");
      return problem->code;
  }
  if (o.on_conflict != COVMERGE_CONFLICT_FAIL && o.on_conflict != COVMERGE_CONFLICT_SKIP) {
    *problem = UsageError("covmerge_merger_create: on_conflict is " + std::to_string(o.on_conflict) +
                          "; use COVMERGE_CONFLICT_FAIL or COVMERGE_CONFLICT_SKIP");
    return problem->code;
  }
  out->threads = o.threads;
  if (o.cancel != nullptr) {
    out->cancelled = [cancel = o.cancel, data = o.cancel_data] { return cancel(data) != 0; };
  }
  out->keep_going = o.on_conflict == COVMERGE_CONFLICT_SKIP;
  out->use_mmap = o.use_mmap != 0;
  return COVMERGE_OK;
}

int ModeToC(std::optional<Mode> mode) {
  if (!mode) return COVMERGE_MODE_ANY;
  switch (*mode) {
    case Mode::kSet: return COVMERGE_MODE_SET;
    case Mode::kCount: return COVMERGE_MODE_COUNT;
    case Mode::kAtomic: return COVMERGE_MODE_ATOMIC;
  }
  return COVMERGE_MODE_ANY;
}


}  // namespace
}  // namespace covmerge::internal

using covmerge::internal::ErrorInfo;
using covmerge::internal::Guard;
using covmerge::internal::NullArgument;

extern "C" {

#define COVMERGE_STRINGIZE_(x) #x
#define COVMERGE_STRINGIZE(x) COVMERGE_STRINGIZE_(x)

COVMERGE_API const char* covmerge_version(void) {
  return COVMERGE_STRINGIZE(COVMERGE_VERSION_MAJOR) "." COVMERGE_STRINGIZE(COVMERGE_VERSION_MINOR) "." COVMERGE_STRINGIZE(
      COVMERGE_VERSION_PATCH);
}

COVMERGE_API const char* covmerge_status_name(int code) { return covmerge::internal::StatusName(code); }

COVMERGE_API void covmerge_options_init(covmerge_options* options) {
  if (options == nullptr) return;
  std::memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
  options->threads = 0;
  options->expected_mode = COVMERGE_MODE_ANY;
  options->on_conflict = COVMERGE_CONFLICT_FAIL;
  options->use_mmap = 0;
}

COVMERGE_API covmerge_status covmerge_merger_create(const covmerge_options* options, covmerge_merger** merger,
                                                    covmerge_error* error) {
  return Guard("covmerge_merger_create", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_create", "merger");
    *merger = nullptr;
    covmerge::internal::SessionOptions session_options;
    ErrorInfo problem;
    if (covmerge::internal::Convert(options, &session_options, &problem) != COVMERGE_OK) return problem;
    *merger = new covmerge_merger(session_options);
    return {};
  });
}

COVMERGE_API void covmerge_merger_free(covmerge_merger* merger) {
  delete merger;  // destructors do not throw
}

COVMERGE_API covmerge_status covmerge_merger_add_path(covmerge_merger* merger, const char* path, size_t* found,
                                                      covmerge_error* error) {
  if (found != nullptr) *found = 0;
  return Guard("covmerge_merger_add_path", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_add_path", "merger");
    if (path == nullptr) return NullArgument("covmerge_merger_add_path", "path");
    return merger->session.AddPath(path, found);
  });
}

COVMERGE_API covmerge_status covmerge_merger_add_paths(covmerge_merger* merger, const char* const* paths,
                                                       size_t count, covmerge_error* error) {
  return Guard("covmerge_merger_add_paths", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_add_paths", "merger");
    if (paths == nullptr && count > 0) return NullArgument("covmerge_merger_add_paths", "paths");
    for (size_t i = 0; i < count; ++i) {
      if (paths[i] == nullptr) {
        return covmerge::internal::UsageError("covmerge_merger_add_paths: paths[" + std::to_string(i) + "] is NULL");
      }
      if (ErrorInfo e = merger->session.AddPath(paths[i], nullptr); !e.ok()) return e;
    }
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_merger_add_buffer(covmerge_merger* merger, const char* name, const void* data,
                                                        size_t size, covmerge_error* error) {
  return Guard("covmerge_merger_add_buffer", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_add_buffer", "merger");
    if (name == nullptr) return NullArgument("covmerge_merger_add_buffer", "name");
    if (data == nullptr && size > 0) return NullArgument("covmerge_merger_add_buffer", "data");
    // Exactly `size` bytes: the buffer need not be NUL-terminated.
    std::string contents = size == 0 ? std::string() : std::string(static_cast<const char*>(data), size);
    return merger->session.AddBuffer(name, std::move(contents));
  });
}

COVMERGE_API covmerge_status covmerge_merger_add_partial(covmerge_merger* merger, const void* data, size_t size,
                                                         covmerge_error* error) {
  return Guard("covmerge_merger_add_partial", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_add_partial", "merger");
    if (data == nullptr && size > 0) return NullArgument("covmerge_merger_add_partial", "data");
    return merger->session.AddPartial(
        size == 0 ? std::string_view() : std::string_view(static_cast<const char*>(data), size));
  });
}

COVMERGE_API covmerge_status covmerge_merger_finish(covmerge_merger* merger, covmerge_error* error) {
  return Guard("covmerge_merger_finish", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_finish", "merger");
    return merger->session.Finish();
  });
}

COVMERGE_API covmerge_status covmerge_merger_write_file(const covmerge_merger* merger, const char* path,
                                                        covmerge_error* error) {
  return Guard("covmerge_merger_write_file", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_write_file", "merger");
    if (path == nullptr) return NullArgument("covmerge_merger_write_file", "path");
    return merger->session.WriteFile(path);
  });
}

COVMERGE_API covmerge_status covmerge_merger_write_partial(const covmerge_merger* merger, uint64_t first,
                                                           uint64_t count, void* buffer, size_t capacity,
                                                           size_t* size, covmerge_error* error) {
  if (size != nullptr) *size = 0;
  return Guard("covmerge_merger_write_partial", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_write_partial", "merger");
    if (size == nullptr) return NullArgument("covmerge_merger_write_partial", "size");
    if (buffer == nullptr && capacity > 0) return NullArgument("covmerge_merger_write_partial", "buffer");
    std::string bytes;
    if (ErrorInfo e = merger->session.WritePartial(first, count, &bytes); !e.ok()) return e;
    *size = bytes.size();
    if (bytes.size() > capacity) {
      return covmerge::internal::BindingError(
          COVMERGE_ERROR_BUFFER_TOO_SMALL, "covmerge_merger_write_partial: the partial takes " +
                                               std::to_string(bytes.size()) + " bytes; the buffer holds " +
                                               std::to_string(capacity));
    }
    if (!bytes.empty()) std::memcpy(buffer, bytes.data(), bytes.size());
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_merger_write_buffer(const covmerge_merger* merger, void* buffer,
                                                          size_t capacity, size_t* size, covmerge_error* error) {
  if (size != nullptr) *size = 0;
  return Guard("covmerge_merger_write_buffer", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_write_buffer", "merger");
    if (size == nullptr) return NullArgument("covmerge_merger_write_buffer", "size");
    if (buffer == nullptr && capacity > 0) return NullArgument("covmerge_merger_write_buffer", "buffer");
    return covmerge::internal::WriteToBuffer("covmerge_merger_write_buffer", "the merged profile", buffer, capacity,
                                             size, [&](const covmerge::ByteSink& sink) {
                                               return merger->session.Write(sink);
                                             });
  });
}

COVMERGE_API covmerge_status covmerge_merger_write_callback(const covmerge_merger* merger,
                                                            covmerge_write_fn callback, void* user_data,
                                                            covmerge_error* error) {
  return Guard("covmerge_merger_write_callback", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_write_callback", "merger");
    if (callback == nullptr) return NullArgument("covmerge_merger_write_callback", "callback");
    int stopped_with = 0;
    ErrorInfo written = merger->session.Write([&](std::string_view piece) {
      stopped_with = callback(user_data, piece.data(), piece.size());
      return stopped_with == 0 ? absl::OkStatus() : absl::CancelledError("the callback stopped the write");
    });
    if (stopped_with != 0) {
      return covmerge::internal::BindingError(COVMERGE_ERROR_CALLBACK,
                                              "covmerge_merger_write_callback: the callback returned " +
                                                  std::to_string(stopped_with) + "; the write stopped");
    }
    return written;
  });
}

COVMERGE_API covmerge_status covmerge_merger_summary(const covmerge_merger* merger, covmerge_summary* summary,
                                                     covmerge_error* error) {
  return Guard("covmerge_merger_summary", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_summary", "merger");
    if (summary == nullptr) return NullArgument("covmerge_merger_summary", "summary");
    const size_t size = summary->struct_size;
    if (size < covmerge::internal::kSummaryV1Size) {
      return covmerge::internal::UsageError("covmerge_merger_summary: summary->struct_size is " +
                                            std::to_string(size) + "; set it to sizeof(covmerge_summary)");
    }
    const covmerge::internal::MergeSession& session = merger->session;
    if (ErrorInfo e = session.CheckFinished(); !e.ok()) return e;
    const covmerge::MergeResult& result = session.result();
    covmerge_summary s;
    std::memset(&s, 0, sizeof s);
    s.struct_size = std::min(size, sizeof s);
    s.total = covmerge::internal::ToC(result.profile.TotalCoverage());
    s.mode = covmerge::internal::ModeToC(session.mode());
    s.file_count = result.profile.files.size();
    s.package_count = session.packages().size();
    s.skipped_count = result.report.skipped.size();
    s.warning_count = result.report.warnings.size();
    s.inputs_merged = result.report.inputs_merged;
    s.bytes_read = result.report.bytes_read;
    std::memcpy(summary, &s, std::min(size, sizeof s));
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_merger_file(const covmerge_merger* merger, size_t index, covmerge_file* file,
                                                  covmerge_error* error) {
  return Guard("covmerge_merger_file", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_file", "merger");
    if (file == nullptr) return NullArgument("covmerge_merger_file", "file");
    const covmerge::internal::MergeSession& session = merger->session;
    if (ErrorInfo e = session.CheckFinished(); !e.ok()) return e;
    const auto& files = session.result().profile.files;
    if (index >= files.size()) return covmerge::internal::OutOfRange("covmerge_merger_file", "file", index, files.size());
    file->path = files[index].path.c_str();
    file->block_count = files[index].blocks.size();
    file->coverage = covmerge::internal::ToC(session.file_coverage()[index]);
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_merger_block(const covmerge_merger* merger, size_t file_index,
                                                   size_t block_index, covmerge_block* block, covmerge_error* error) {
  return Guard("covmerge_merger_block", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_block", "merger");
    if (block == nullptr) return NullArgument("covmerge_merger_block", "block");
    const covmerge::internal::MergeSession& session = merger->session;
    if (ErrorInfo e = session.CheckFinished(); !e.ok()) return e;
    const auto& files = session.result().profile.files;
    if (file_index >= files.size()) {
      return covmerge::internal::OutOfRange("covmerge_merger_block", "file", file_index, files.size());
    }
    const auto& blocks = files[file_index].blocks;
    if (block_index >= blocks.size()) {
      return covmerge::internal::OutOfRange("covmerge_merger_block", "block", block_index, blocks.size());
    }
    const covmerge::Block& b = blocks[block_index];
    *block = {b.start_line, b.start_col, b.end_line, b.end_col, b.num_stmt, b.count};
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_merger_package(const covmerge_merger* merger, size_t index,
                                                     covmerge_package* package, covmerge_error* error) {
  return Guard("covmerge_merger_package", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_package", "merger");
    if (package == nullptr) return NullArgument("covmerge_merger_package", "package");
    const covmerge::internal::MergeSession& session = merger->session;
    if (ErrorInfo e = session.CheckFinished(); !e.ok()) return e;
    const auto& packages = session.packages();
    if (index >= packages.size()) {
      return covmerge::internal::OutOfRange("covmerge_merger_package", "package", index, packages.size());
    }
    package->name = packages[index].name.c_str();
    package->file_count = packages[index].file_count;
    package->coverage = covmerge::internal::ToC(packages[index].coverage);
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_merger_skipped(const covmerge_merger* merger, size_t index,
                                                     covmerge_skipped_input* skipped, covmerge_error* error) {
  return Guard("covmerge_merger_skipped", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_skipped", "merger");
    if (skipped == nullptr) return NullArgument("covmerge_merger_skipped", "skipped");
    const covmerge::internal::MergeSession& session = merger->session;
    if (ErrorInfo e = session.CheckFinished(); !e.ok()) return e;
    const auto& list = session.result().report.skipped;
    if (index >= list.size()) {
      return covmerge::internal::OutOfRange("covmerge_merger_skipped", "skipped input", index, list.size());
    }
    skipped->name = list[index].name.c_str();
    skipped->reason = list[index].reason.c_str();
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_merger_warning(const covmerge_merger* merger, size_t index,
                                                     const char** message, covmerge_error* error) {
  return Guard("covmerge_merger_warning", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_warning", "merger");
    if (message == nullptr) return NullArgument("covmerge_merger_warning", "message");
    const covmerge::internal::MergeSession& session = merger->session;
    if (ErrorInfo e = session.CheckFinished(); !e.ok()) return e;
    const auto& list = session.result().report.warnings;
    if (index >= list.size()) {
      return covmerge::internal::OutOfRange("covmerge_merger_warning", "warning", index, list.size());
    }
    *message = list[index].c_str();
    return {};
  });
}

}  // extern "C"
