// SPDX-License-Identifier: Apache-2.0
// covmerge._covmerge: the extension under the covmerge package. It exposes
// MergeSession (bindings/c/src/merge_session.h) as _Session, plain data
// out (tuples, lists, bytes), and failures as _covmerge.Failure(code,
// message, fields) with the engine's Error as a dict; the package
// (covmerge/__init__.py) turns those into Python's types and exceptions. Parsing, merging, searching
// directories and formatting run with the GIL released.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/command.h"
#include "covmerge/inputs.h"
#include "covmerge/writer.h"
#include "error_info.h"
#include "merge_session.h"

#ifndef COVMERGE_VERSION
#define COVMERGE_VERSION "unknown"
#endif

namespace py = pybind11;

namespace covmerge::internal {
namespace {

// A failure on its way to Python, as _covmerge.Failure.
struct SessionFailure {
  ErrorInfo info;
};

void ThrowIfFailed(ErrorInfo info) {
  if (!info.ok()) throw SessionFailure{std::move(info)};
}

// Paths and messages come back as str the way os.fsdecode() makes them
// (undecodable bytes as surrogates), so os.fsencode() gives the bytes back.
py::str FsDecode(std::string_view s) {
  PyObject* str = PyUnicode_DecodeFSDefaultAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
  if (str == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(str);
}

py::object OptionalInt(const std::optional<uint64_t>& value) {
  return value ? py::object(py::int_(*value)) : py::object(py::none());
}

py::object NonZero(uint64_t value) { return value != 0 ? py::object(py::int_(value)) : py::object(py::none()); }

py::object NonEmpty(const std::string& s) { return s.empty() ? py::object(py::none()) : py::object(FsDecode(s)); }

// The Error as a dict: kind (ErrorKindName), path, input_index, line,
// column, offset, errno, other_path, other_index, other_line; None where
// not known.
py::dict ErrorFields(const ErrorInfo& info) {
  const Error& e = info.error;
  py::dict d;
  d["kind"] = py::str(ErrorKindName(e.kind));
  d["path"] = NonEmpty(e.path);
  d["input_index"] = OptionalInt(e.input_index);
  d["line"] = NonZero(e.line);
  d["column"] = NonZero(e.column);
  d["offset"] = OptionalInt(e.offset);
  d["errno"] = e.os_error != 0 ? py::object(py::int_(e.os_error)) : py::object(py::none());
  d["other_path"] = NonEmpty(e.other_path);
  d["other_index"] = OptionalInt(e.other_input_index);
  d["other_line"] = NonZero(e.other_line);
  return d;
}

std::string Bytes(const py::bytes& b) { return static_cast<std::string>(b); }

py::tuple CoverageTuple(const Coverage& c) { return py::make_tuple(c.statements, c.covered, c.Percent()); }

// Runs `work` on a thread of its own while this one, without the GIL, looks
// for signals every 50 ms: Ctrl-C sets `cancel`, which the engine's workers
// poll between pieces of input (MergeOptions::cancelled), and the merge
// stops within milliseconds; the KeyboardInterrupt that Python's handler
// raised is then rethrown. Python runs signal handlers only between
// bytecodes of the main thread, never inside one long C call, hence the
// thread.
ErrorInfo RunInterruptibly(const std::function<ErrorInfo()>& work, std::atomic<bool>* cancel) {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  ErrorInfo info;
  std::exception_ptr thrown;
  std::thread worker([&] {
    try {
      info = work();
    } catch (...) {
      thrown = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
    done_cv.notify_one();
  });
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::unique_lock<std::mutex> lock(mutex);
    while (!done_cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
      if (interrupted) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) {
          interrupted = true;
          cancel->store(true, std::memory_order_relaxed);
        }
      }
      lock.lock();
    }
  }
  worker.join();
  if (interrupted) throw py::error_already_set();
  if (thrown) std::rethrow_exception(thrown);
  return info;
}

class Session {
 public:
  Session(int threads, std::optional<std::string> mode, bool keep_going, bool use_mmap) {
    if (threads < 0 || threads > 1024) throw py::value_error("threads must be 0 (one per core) or 1 to 1024");
    SessionOptions options;
    options.threads = threads;
    options.keep_going = keep_going;
    options.use_mmap = use_mmap;
    options.cancelled = [this] { return cancel_.load(std::memory_order_relaxed); };
    if (mode) {
      options.expected_mode = ParseMode(*mode);
      if (!options.expected_mode) throw py::value_error("mode must be None, \"set\", \"count\" or \"atomic\"");
    }
    session_.emplace(options);
  }

  size_t AddPath(const py::bytes& path) {
    Busy busy(this);
    const std::string p = Bytes(path);
    size_t found = 0;
    ErrorInfo info;
    {
      py::gil_scoped_release release;
      info = session_->AddPath(p, &found);
    }
    ThrowIfFailed(std::move(info));
    return found;
  }

  void AddBytes(const py::object& data, const py::bytes& name) {
    Busy busy(this);
    // Any contiguous buffer (bytes, bytearray, memoryview, mmap). While the
    // view is held a bytearray cannot be resized, so the copy may run
    // without the GIL.
    Py_buffer view;
    if (PyObject_GetBuffer(data.ptr(), &view, PyBUF_SIMPLE) != 0) throw py::error_already_set();
    struct Release {
      Py_buffer* view;
      ~Release() { PyBuffer_Release(view); }
    } release_view{&view};
    std::string n = Bytes(name);
    ErrorInfo info;
    {
      py::gil_scoped_release release;
      std::string contents(static_cast<const char*>(view.buf), static_cast<size_t>(view.len));
      info = session_->AddBuffer(std::move(n), std::move(contents));
    }
    ThrowIfFailed(std::move(info));
  }

  void AddPartial(const py::bytes& data) {
    Busy busy(this);
    const std::string bytes = data;
    ErrorInfo info;
    {
      py::gil_scoped_release release;
      info = session_->AddPartial(bytes);
    }
    ThrowIfFailed(std::move(info));
  }

  py::bytes WritePartial(uint64_t first, uint64_t count) {
    Busy busy(this);
    std::string bytes;
    ErrorInfo info;
    {
      py::gil_scoped_release release;
      info = session_->WritePartial(first, count, &bytes);
    }
    ThrowIfFailed(std::move(info));
    return py::bytes(bytes);
  }

  void AddStdin() {
    Busy busy(this);
    ThrowIfFailed(session_->AddStdin());
  }

  void Finish() {
    Busy busy(this);
    ThrowIfFailed(RunInterruptibly([this] { return session_->Finish(); }, &cancel_));
  }

  bool finished() {
    Busy busy(this);
    return session_->state() == MergeSession::State::kFinished;
  }

  py::tuple Summary() {
    Busy busy(this);
    Finished();
    return CoverageTuple(session_->result().profile.TotalCoverage());
  }

  py::object ModeName() {
    Busy busy(this);
    Finished();
    std::optional<Mode> mode = session_->mode();
    if (!mode) return py::none();
    return py::str(std::string(::covmerge::ModeName(*mode)));
  }

  py::dict Report() {
    Busy busy(this);
    Finished();
    const MergeReport& report = session_->result().report;
    py::list skipped;
    for (const SkippedInput& s : report.skipped) skipped.append(py::make_tuple(FsDecode(s.name), FsDecode(s.reason)));
    py::list warnings;
    for (const std::string& w : report.warnings) warnings.append(FsDecode(w));
    py::dict out;
    out["inputs_merged"] = report.inputs_merged;
    out["bytes_read"] = report.bytes_read;
    out["skipped"] = skipped;
    out["warnings"] = warnings;
    return out;
  }

  // [(path, statements, covered, percent)] in path order.
  py::list Files() {
    Busy busy(this);
    Finished();
    py::list out;
    const auto& files = session_->result().profile.files;
    for (size_t i = 0; i < files.size(); ++i) {
      const Coverage& c = session_->file_coverage()[i];
      out.append(py::make_tuple(FsDecode(files[i].path), c.statements, c.covered, c.Percent()));
    }
    return out;
  }

  // [(name, file_count, statements, covered, percent)] in name order.
  py::list Packages() {
    Busy busy(this);
    Finished();
    py::list out;
    for (const PackageStats& p : session_->packages()) {
      const Coverage& c = p.coverage;
      out.append(py::make_tuple(FsDecode(p.name), p.file_count, c.statements, c.covered, c.Percent()));
    }
    return out;
  }

  size_t FileCount() {
    Busy busy(this);
    Finished();
    return session_->result().profile.files.size();
  }

  // The blocks of file `index` as (path, start_line, start_col, end_line,
  // end_col, num_stmt, count), sharing one path object.
  py::list FileBlocks(size_t index) {
    Busy busy(this);
    Finished();
    const auto& files = session_->result().profile.files;
    if (index >= files.size()) throw py::index_error("file index out of range");
    const FileProfile& file = files[index];
    py::str path = FsDecode(file.path);
    py::list out(file.blocks.size());
    for (size_t i = 0; i < file.blocks.size(); ++i) {
      const Block& b = file.blocks[i];
      out[i] = py::make_tuple(path, b.start_line, b.start_col, b.end_line, b.end_col, b.num_stmt, b.count);
    }
    return out;
  }

  void WriteFile(const py::bytes& path) {
    Busy busy(this);
    const std::string p = Bytes(path);
    ErrorInfo info;
    {
      py::gil_scoped_release release;
      info = session_->WriteFile(p);
    }
    ThrowIfFailed(std::move(info));
  }

  // The text, or with zstd_level > 0 one zstd frame of it.
  py::bytes ToBytes(int zstd_level) {
    Busy busy(this);
    std::string text;
    ErrorInfo info;
    {
      py::gil_scoped_release release;
      auto append = [&](std::string_view piece) {
        text.append(piece);
        return absl::OkStatus();
      };
      info = zstd_level > 0 ? session_->WriteZstd(append, zstd_level) : session_->Write(append);
    }
    ThrowIfFailed(std::move(info));
    return py::bytes(text);
  }

  // Streams the text into `file.write`, a megabyte at a time; formatting
  // runs without the GIL, each write with it.
  void WriteTo(const py::object& file) {
    Busy busy(this);
    py::object write = file.attr("write");
    std::optional<py::error_already_set> python_error;
    ErrorInfo info;
    {
      py::gil_scoped_release release;
      info = session_->Write([&](std::string_view piece) {
        py::gil_scoped_acquire acquire;
        try {
          // A copy, not a view of the engine's buffer: write() may keep it.
          write(py::bytes(piece.data(), piece.size()));
        } catch (py::error_already_set& e) {
          python_error.emplace(std::move(e));
          return absl::CancelledError("the file's write() raised");
        }
        return absl::OkStatus();
      });
    }
    if (python_error) throw std::move(*python_error);
    ThrowIfFailed(std::move(info));
  }

  void AddInclude(const py::bytes& pattern) { AddFilter(pattern, true); }
  void AddExclude(const py::bytes& pattern) { AddFilter(pattern, false); }

  void AddPathRule(const py::bytes& from, const py::bytes& to) {
    Busy busy(this);
    ThrowIfFailed(session_->AddPathRule(Bytes(from), Bytes(to)));
  }

  // An export (ExportFormat's order) into the file `path`, or, with None,
  // returned as bytes. `options`: by_file, sort_by_coverage, timestamp,
  // source, title.
  py::object Export(int format, const std::optional<py::bytes>& path, const py::dict& options) {
    Busy busy(this);
    if (format < 0 || format > static_cast<int>(ExportFormat::kHtml)) throw py::value_error("unknown export format");
    ExportSettings settings;
    if (options.contains("by_file")) settings.table.by_file = options["by_file"].cast<bool>();
    if (options.contains("sort_by_coverage") && options["sort_by_coverage"].cast<bool>()) {
      settings.table.sort = TableOptions::Sort::kCoverage;
    }
    settings.cobertura.timestamp = options.contains("timestamp") && !options["timestamp"].is_none()
                                       ? options["timestamp"].cast<int64_t>()
                                       : ReportTime();
    if (options.contains("source")) settings.cobertura.source = options["source"].cast<std::string>();
    if (options.contains("title")) settings.html.title = options["title"].cast<std::string>();
    const auto which = static_cast<ExportFormat>(format);
    std::string bytes;
    ErrorInfo info;
    const std::optional<std::string> target = path ? std::optional<std::string>(Bytes(*path)) : std::nullopt;
    {
      py::gil_scoped_release release;
      if (target) {
        info = session_->ExportFile(which, settings, *target);
      } else {
        info = session_->Export(which, settings, [&](std::string_view piece) {
          bytes.append(piece);
          return absl::OkStatus();
        });
      }
    }
    ThrowIfFailed(std::move(info));
    if (target) return py::none();
    return py::bytes(bytes);
  }

  // The gate: {"passed", "before", "after", "changes": [(kind, name,
  // before, after)], "failures", "report"}, coverages as tuples.
  py::dict Gate(std::optional<double> fail_under, double max_drop, const std::optional<py::bytes>& baseline_path,
                const std::optional<py::bytes>& baseline_text, const py::bytes& baseline_name,
                const std::optional<py::bytes>& diff_path, const std::optional<py::bytes>& diff_text,
                std::optional<double> fail_under_patch, const std::vector<py::bytes>& thresholds,
                const std::vector<py::bytes>& file_thresholds) {
    Busy busy(this);
    GateRequest request;
    request.fail_under = fail_under;
    request.max_drop = max_drop;
    if (baseline_path) request.baseline_path = Bytes(*baseline_path);
    if (baseline_text) request.baseline_text = Bytes(*baseline_text);
    request.baseline_name = Bytes(baseline_name);
    if (diff_path) request.diff_path = Bytes(*diff_path);
    if (diff_text) request.diff_text = Bytes(*diff_text);
    request.fail_under_patch = fail_under_patch;
    for (const py::bytes& t : thresholds) request.thresholds.push_back(Bytes(t));
    for (const py::bytes& t : file_thresholds) request.file_thresholds.push_back(Bytes(t));
    GateOutcome outcome;
    ErrorInfo info;
    {
      py::gil_scoped_release release;
      info = session_->Gate(request, &outcome);
    }
    ThrowIfFailed(std::move(info));
    static constexpr const char* kKinds[] = {"fell", "new", "gone"};
    py::list changes;
    for (const PackageChange& c : outcome.result.changes) {
      changes.append(py::make_tuple(kKinds[static_cast<int>(c.kind)], FsDecode(c.name), CoverageTuple(c.before),
                                    CoverageTuple(c.after)));
    }
    py::list failures, report;
    for (const std::string& f : outcome.result.failures) failures.append(FsDecode(f));
    for (const std::string& line : outcome.result.report) report.append(FsDecode(line));
    py::dict out;
    out["passed"] = outcome.result.passed;
    out["before"] = outcome.before ? py::object(CoverageTuple(*outcome.before)) : py::object(py::none());
    out["after"] = CoverageTuple(outcome.after);
    out["changes"] = changes;
    out["failures"] = failures;
    out["report"] = report;
    out["markdown"] = FsDecode(outcome.markdown);
    if (outcome.patch) {
      const PatchCoverage& patch = *outcome.patch;
      py::list files;
      for (const PatchFile& f : patch.files) {
        py::list ranges;
        for (const auto& [first, last] : f.uncovered) ranges.append(py::make_tuple(first, last));
        files.append(py::make_tuple(FsDecode(f.path), CoverageTuple(f.statements), ranges));
      }
      py::list unmeasured;
      for (const std::string& path : patch.unmeasured) unmeasured.append(FsDecode(path));
      py::dict p;
      p["total"] = CoverageTuple(patch.total);
      p["files"] = files;
      p["unmeasured"] = unmeasured;
      p["changed_lines"] = patch.changed_lines;
      out["patch"] = p;
    } else {
      out["patch"] = py::none();
    }
    return out;
  }

  void Close() {
    Busy busy(this);
    session_->Release();
  }

 private:
  // Calls from two Python threads at once would race on the session while
  // the GIL is released; the second one is refused instead.
  class Busy {
   public:
    explicit Busy(Session* s) : lock_(s->mutex_, std::try_to_lock) {
      if (!lock_.owns_lock()) throw std::runtime_error("the Merger is in use by another thread");
    }

   private:
    std::unique_lock<std::mutex> lock_;
  };

  void Finished() { ThrowIfFailed(session_->CheckFinished()); }

  void AddFilter(const py::bytes& pattern, bool include) {
    Busy busy(this);
    const std::string text = Bytes(pattern);
    ErrorInfo info = include ? session_->AddInclude(text) : session_->AddExclude(text);
    // While adding, only the pattern can be wrong: the caller's value.
    if (!info.ok() && session_->state() == MergeSession::State::kAdding) throw py::value_error(info.message);
    ThrowIfFailed(std::move(info));
  }

  std::mutex mutex_;
  std::atomic<bool> cancel_{false};  // set by Ctrl-C during Finish()
  std::optional<MergeSession> session_;
};

// `python3 -m covmerge ARGS`: the command itself (engine/cli), writing to
// the descriptors `out` and `err` (covmerge/__main__.py passes 1 and 2, or
// pipes to a redirected sys.stdout), without the GIL.
int MainPy(const std::vector<std::string>& args, int out, int err) {
  std::vector<std::string> owned = {"covmerge"};
  owned.insert(owned.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : owned) argv.push_back(arg.data());
  argv.push_back(nullptr);
  py::gil_scoped_release release;
  return covmerge::cli::Main(static_cast<int>(owned.size()), argv.data(), covmerge::cli::Streams{out, err});
}

std::vector<std::pair<py::bytes, bool>> ExpandPathPy(const py::bytes& path) {
  const std::string p = path;
  std::vector<ExpandedInput> inputs;
  ErrorInfo info;
  {
    py::gil_scoped_release release;
    info = ExpandInputPath(p, &inputs);
  }
  ThrowIfFailed(std::move(info));
  std::vector<std::pair<py::bytes, bool>> out;
  out.reserve(inputs.size());
  for (const ExpandedInput& input : inputs) out.emplace_back(py::bytes(input.path), input.go_cover_dir);
  return out;
}

// The partial codec (partial.h) for covmerge.distributed.partial: the
// header as a dict whose strings are bytes (names need not be UTF-8).
template <typename T>
std::optional<T> OptionalField(const py::dict& d, const char* key) {
  if (!d.contains(key) || d[key].is_none()) return std::nullopt;
  return d[key].cast<T>();
}

py::bytes EncodePartialPy(const py::dict& h, const py::bytes& payload) {
  PartialHeader header;
  header.first = h["first"].cast<uint64_t>();
  header.count = h["count"].cast<uint64_t>();
  header.merged = h["merged"].cast<uint64_t>();
  header.mode = OptionalField<std::string>(h, "mode");
  for (const py::handle& entry : h["skipped"].cast<py::list>()) {
    const py::tuple t = entry.cast<py::tuple>();
    header.skipped.push_back({t[0].cast<int>(), t[1].cast<uint64_t>(), t[2].cast<std::string>(),
                              t[3].cast<std::string>()});
  }
  for (const py::handle& w : h["warnings"].cast<py::list>()) header.warnings.push_back(w.cast<std::string>());
  header.whole = h["whole"].cast<bool>();
  if (!h["error"].is_none()) {
    const py::dict e = h["error"].cast<py::dict>();
    PartialError error;
    error.type = e["type"].cast<std::string>();
    error.message = e["message"].cast<std::string>();
    error.path = OptionalField<std::string>(e, "path");
    error.line = OptionalField<uint64_t>(e, "line");
    error.column = OptionalField<uint64_t>(e, "column");
    error.conflict = e["conflict"].cast<bool>();
    error.errno_value = OptionalField<int64_t>(e, "errno");
    error.strerror = OptionalField<std::string>(e, "strerror");
    error.index = e["index"].cast<uint64_t>();
    error.stage = e["stage"].cast<int>();
    error.kind = OptionalField<std::string>(e, "kind");
    header.error = std::move(error);
  }
  return py::bytes(EncodePartial(header, std::string_view(payload)));
}

py::tuple DecodePartialPy(const py::bytes& data) {
  const std::string_view bytes(data);
  absl::StatusOr<std::pair<PartialHeader, std::string_view>> decoded = DecodePartial(bytes);
  if (!decoded.ok()) {
    const auto message = decoded.status().message();
    throw py::value_error(std::string(message.data(), message.size()));
  }
  const PartialHeader& h = decoded->first;
  auto optional_bytes = [](const std::optional<std::string>& s) -> py::object {
    return s ? py::object(py::bytes(*s)) : py::object(py::none());
  };
  py::dict out;
  out["first"] = h.first;
  out["count"] = h.count;
  out["merged"] = h.merged;
  out["mode"] = optional_bytes(h.mode);
  py::list skipped;
  for (const PartialSkipped& e : h.skipped) {
    skipped.append(py::make_tuple(e.stage, e.index, py::bytes(e.name), py::bytes(e.reason)));
  }
  out["skipped"] = skipped;
  py::list warnings;
  for (const std::string& w : h.warnings) warnings.append(py::bytes(w));
  out["warnings"] = warnings;
  out["whole"] = h.whole;
  if (h.error) {
    const PartialError& e = *h.error;
    py::dict error;
    error["type"] = py::bytes(e.type);
    error["message"] = py::bytes(e.message);
    error["path"] = optional_bytes(e.path);
    error["line"] = e.line ? py::object(py::int_(*e.line)) : py::object(py::none());
    error["column"] = e.column ? py::object(py::int_(*e.column)) : py::object(py::none());
    error["conflict"] = e.conflict;
    error["errno"] = e.errno_value ? py::object(py::int_(*e.errno_value)) : py::object(py::none());
    error["strerror"] = optional_bytes(e.strerror);
    error["index"] = e.index;
    error["stage"] = e.stage;
    error["kind"] = optional_bytes(e.kind);
    out["error"] = error;
  } else {
    out["error"] = py::none();
  }
  return py::make_tuple(out, py::bytes(std::string(decoded->second)));
}

std::string CoverageLinePy(uint64_t statements, uint64_t covered) {
  Coverage c;
  c.statements = statements;
  c.covered = covered;
  return CoverageLine(c);
}

}  // namespace
}  // namespace covmerge::internal

PYBIND11_MODULE(_covmerge, m) {
  using covmerge::internal::Session;
  m.doc() = "covmerge's engine; use the covmerge package, not this module.";
  m.attr("__version__") = COVMERGE_VERSION;

  // Failure(code, message, fields); the package converts it.
  static py::handle failure_type(
      PyErr_NewExceptionWithDoc("covmerge._covmerge.Failure",
                                "A failed call: args are (code, message, fields), fields the engine's Error.",
                                PyExc_Exception, nullptr));
  m.attr("Failure") = failure_type;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const covmerge::internal::SessionFailure& f) {
      py::tuple args = py::make_tuple(static_cast<int>(f.info.code), covmerge::internal::FsDecode(f.info.message),
                                      covmerge::internal::ErrorFields(f.info));
      PyErr_SetObject(failure_type.ptr(), args.ptr());
    }
  });

  py::dict codes;
  for (int code = COVMERGE_OK; code <= COVMERGE_ERROR_CANCELLED; ++code) {
    std::string name = covmerge::internal::StatusName(code);
    codes[py::str(name.substr(std::strlen("COVMERGE_")))] = code;
  }
  m.attr("CODES") = codes;

  py::class_<Session>(m, "_Session")
      .def(py::init<int, std::optional<std::string>, bool, bool>(), py::arg("threads"), py::arg("mode"),
           py::arg("keep_going"), py::arg("use_mmap"))
      .def("add_path", &Session::AddPath, py::arg("path"))
      .def("add_bytes", &Session::AddBytes, py::arg("data"), py::arg("name"))
      .def("add_stdin", &Session::AddStdin)
      .def("add_partial", &Session::AddPartial, py::arg("data"))
      .def("write_partial", &Session::WritePartial, py::arg("first"), py::arg("count"))
      .def("finish", &Session::Finish)
      .def_property_readonly("finished", &Session::finished)
      .def("summary", &Session::Summary)
      .def("mode", &Session::ModeName)
      .def("report", &Session::Report)
      .def("files", &Session::Files)
      .def("packages", &Session::Packages)
      .def("file_count", &Session::FileCount)
      .def("file_blocks", &Session::FileBlocks, py::arg("index"))
      .def("write_file", &Session::WriteFile, py::arg("path"))
      .def("to_bytes", &Session::ToBytes, py::arg("zstd_level") = 0)
      .def("write_to", &Session::WriteTo, py::arg("file"))
      .def("add_include", &Session::AddInclude, py::arg("pattern"))
      .def("add_exclude", &Session::AddExclude, py::arg("pattern"))
      .def("add_path_rule", &Session::AddPathRule, py::arg("prefix"), py::arg("replacement"))
      .def("export", &Session::Export, py::arg("format"), py::arg("path"), py::arg("options"))
      .def("gate", &Session::Gate, py::arg("fail_under"), py::arg("max_drop"), py::arg("baseline_path"),
           py::arg("baseline_text"), py::arg("baseline_name"), py::arg("diff_path"), py::arg("diff_text"),
           py::arg("fail_under_patch"), py::arg("thresholds"), py::arg("file_thresholds"))
      .def("close", &Session::Close);

  m.def("main", &covmerge::internal::MainPy, py::arg("args"), py::arg("out") = 1, py::arg("err") = 2,
        "Runs the covmerge command with these arguments (bytes) and returns its exit status.");
  m.def("expand_path", &covmerge::internal::ExpandPathPy, py::arg("path"),
        "The inputs Merger.add adds for a path: [(path, is_gocoverdir)], in its order.");
  m.def("is_profile_file_name", [](const py::bytes& name) { return covmerge::IsProfileFileName(std::string(name)); },
        py::arg("name"), "Whether a directory walk takes a file of this name as a profile.");
  m.def("encode_partial", &covmerge::internal::EncodePartialPy, py::arg("header"), py::arg("payload"),
        "A partial's bytes (docs/partial-format.md) from its header, strings as bytes.");
  m.def("decode_partial", &covmerge::internal::DecodePartialPy, py::arg("data"),
        "(header, payload) of a partial's bytes; ValueError naming what is wrong.");
  m.def("coverage_line", &covmerge::internal::CoverageLinePy, py::arg("statements"), py::arg("covered"),
        "The line go test -cover prints, e.g. \"coverage: 54.8% of statements\".");
}
