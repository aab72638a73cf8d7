/* SPDX-License-Identifier: Apache-2.0 */
/*
 * covmerge.h: the C API of covmerge, for programs in any language that
 * merge Go coverage profiles without running the covmerge command.
 *
 * A merge goes through one opaque handle:
 *
 *   covmerge_options options;
 *   covmerge_options_init(&options);
 *   covmerge_merger* merger = NULL;
 *   covmerge_error error;
 *   if (covmerge_merger_create(&options, &merger, &error) != COVMERGE_OK ||
 *       covmerge_merger_add_path(merger, "profiles/", NULL, &error) != COVMERGE_OK ||
 *       covmerge_merger_finish(merger, &error) != COVMERGE_OK ||
 *       covmerge_merger_write_file(merger, "merged.out", &error) != COVMERGE_OK) {
 *     fprintf(stderr, "%s\n", error.message);
 *   }
 *   covmerge_merger_free(merger);
 *
 * Conventions, true of every function below unless it says otherwise:
 *  - The return value is a covmerge_status: COVMERGE_OK (0) or an error.
 *  - `error` may be NULL. When it is not, it is filled on every call: with
 *    code COVMERGE_OK and empty strings on success, and on failure with the
 *    code, the input and its index, line, column and byte offset, the errno,
 *    the other side of a conflict, and a message that names them; every
 *    field comes from the failure's own data. Nothing in it needs freeing.
 *  - No C++ exception, abort() or exit() leaves the library, whatever the
 *    input: each entry point stops every exception and turns it into a status
 *    (std::bad_alloc into COVMERGE_ERROR_OUT_OF_MEMORY).
 *  - Strings are NUL-terminated UTF-8 (paths: the bytes the OS uses). Pointers
 *    the library returns are owned by the handle and stay valid until
 *    covmerge_merger_free().
 *  - Thread-safety: one thread at a time may use a handle; the handle starts
 *    and joins its own worker threads inside covmerge_merger_finish(). After
 *    a successful finish the handle is read-only: the functions that take a
 *    `const covmerge_merger*` may then run on several threads at once.
 *    Different handles are independent.
 *
 * The text this library writes is the one the covmerge command writes, byte
 * for byte: the format of gocovmerge (see README.md).
 */
#ifndef COVMERGE_H_
#define COVMERGE_H_

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(COVMERGE_BUILDING_LIBRARY)
#define COVMERGE_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define COVMERGE_API __attribute__((visibility("default")))
#else
#define COVMERGE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define COVMERGE_VERSION_MAJOR 0
#define COVMERGE_VERSION_MINOR 2
#define COVMERGE_VERSION_PATCH 0

/* The library's version, e.g. "0.2.0"; a static string. Thread-safe. */
COVMERGE_API const char* covmerge_version(void);

/* ---------------------------------------------------------------------- */
/* Status codes and errors                                                */

typedef enum covmerge_status {
  COVMERGE_OK = 0,
  /* The call was wrong: a NULL handle or argument, options out of range,
   * a pattern that does not compile, or a call out of order (adding inputs
   * after finish, reading results before it, anything after a failed
   * finish). */
  COVMERGE_ERROR_USAGE = 1,
  /* An input is not a valid coverage profile (the message reads
   * "path:line:col: expected <what>, found ..."; input, line, column and
   * offset say where), is damaged compressed or GOCOVERDIR data, or, with
   * COVMERGE_CONFLICT_SKIP, every input was skipped. Also a baseline that
   * is neither a JSON summary nor a profile. */
  COVMERGE_ERROR_MALFORMED = 2,
  /* Inputs disagree: their modes differ, the same block has different
   * statement counts, or the same start with different ends. `input` and
   * `line` are the input that disagrees, `other_input` and `other_line` the
   * one whose block or mode the merge kept. Also: the merged mode is not
   * the expected_mode of the options. */
  COVMERGE_ERROR_CONFLICT = 3,
  /* An input (or a directory, or the output's directory) does not exist
   * (os_error ENOENT or ENOTDIR). */
  COVMERGE_ERROR_NOT_FOUND = 4,
  /* An input or the output may not be read or written (EACCES, EPERM). */
  COVMERGE_ERROR_PERMISSION = 5,
  /* Any other failure to read or write: an I/O error, a directory given as
   * a file, an input that changed while it was read; os_error holds the
   * errno when the system reported one. */
  COVMERGE_ERROR_IO = 6,
  COVMERGE_ERROR_OUT_OF_MEMORY = 7,
  /* covmerge_merger_write_buffer() and the other buffer writers: the buffer
   * is too small; `*size` says how large it must be. */
  COVMERGE_ERROR_BUFFER_TOO_SMALL = 8,
  /* covmerge_merger_write_callback(): the callback returned non-zero. */
  COVMERGE_ERROR_CALLBACK = 9,
  /* A bug in covmerge; the message asks for a report. */
  COVMERGE_ERROR_INTERNAL = 10,
  /* Writing found no space left: ENOSPC, EDQUOT (a quota) or EFBIG (the
   * file size limit), in os_error. The output is left as it was. */
  COVMERGE_ERROR_DISK_FULL = 11,
  /* The options' cancel callback returned non-zero: the merge stopped. */
  COVMERGE_ERROR_CANCELLED = 12
} covmerge_status;

/* The name of a status code, e.g. "COVMERGE_ERROR_MALFORMED"; a static string,
 * "COVMERGE_ERROR_UNKNOWN" for values not listed above. Thread-safe. */
COVMERGE_API const char* covmerge_status_name(int code);

#define COVMERGE_ERROR_INPUT_CAPACITY 512
#define COVMERGE_ERROR_MESSAGE_CAPACITY 1024
/* input_index, other_input_index and offset when not known. */
#define COVMERGE_UNKNOWN UINT64_MAX

/* Details of a failed call, in storage the caller owns. Every field comes
 * from the failure's own data, never from parsing the message, so a
 * program may rely on them. Strings are always NUL-terminated; one too long
 * for its array is cut at a UTF-8 character boundary and ends in "...". */
typedef struct covmerge_error {
  int code;      /* the covmerge_status the call returned */
  /* The input the error is about (for writes: the output path), as it was
   * added or found in a directory; "" when the error is about no file. */
  char input[COVMERGE_ERROR_INPUT_CAPACITY];
  uint64_t line;   /* 1-based line in `input`; 0 when not known */
  uint64_t column; /* 1-based column in that line; 0 when not known */
  /* One sentence for a user, e.g. "a.out:3:9: expected a number of
   * statements, found \"x\"". */
  char message[COVMERGE_ERROR_MESSAGE_CAPACITY];
  /* Since 0.2. The position of `input` among the merger's inputs, 0-based,
   * in the order added (a directory counts as the files found in it, see
   * covmerge_merger_add_path(); a GOCOVERDIR is one); COVMERGE_UNKNOWN. */
  uint64_t input_index;
  /* The byte offset of the line's start in `input` (after decompression);
   * COVMERGE_UNKNOWN. */
  uint64_t offset;
  /* The errno the system reported (NOT_FOUND, PERMISSION, IO, DISK_FULL,
   * OUT_OF_MEMORY); 0 when none. */
  int os_error;
  /* COVMERGE_ERROR_CONFLICT: the other side, the input whose block or mode
   * the merge kept, its index and line; "", COVMERGE_UNKNOWN and 0
   * otherwise. */
  char other_input[COVMERGE_ERROR_INPUT_CAPACITY];
  uint64_t other_input_index;
  uint64_t other_line;
} covmerge_error;

/* ---------------------------------------------------------------------- */
/* Options                                                                */

typedef enum covmerge_mode {
  COVMERGE_MODE_ANY = 0, /* as options: accept whichever mode the inputs have;
                            as a result: the merge has no blocks */
  COVMERGE_MODE_SET = 1,
  COVMERGE_MODE_COUNT = 2,
  COVMERGE_MODE_ATOMIC = 3
} covmerge_mode;

typedef enum covmerge_conflict_policy {
  /* The first damaged or conflicting input fails the merge. */
  COVMERGE_CONFLICT_FAIL = 0,
  /* Each damaged or conflicting input is left out and listed (see
   * covmerge_merger_skipped()); the others are merged. The first input with
   * a block decides what is right: its mode, statement counts, block ends. */
  COVMERGE_CONFLICT_SKIP = 1
} covmerge_conflict_policy;

/* Returns non-zero to stop a merge; see covmerge_options.cancel. */
typedef int (*covmerge_cancel_fn)(void* cancel_data);

/* Options for covmerge_merger_create(). Set struct_size to
 * sizeof(covmerge_options), best through covmerge_options_init(): later
 * versions may add fields at the end, and a caller built against this
 * header keeps working with them (the fields it does not know take their
 * defaults). */
typedef struct covmerge_options {
  size_t struct_size;
  /* Worker threads, 1 to 1024; 0 (the default) means one per core. The
   * output is the same for every count. */
  int threads;
  /* A covmerge_mode. Not COVMERGE_MODE_ANY (the default): a merge whose
   * blocks have another mode fails with COVMERGE_ERROR_CONFLICT. The inputs
   * must share one mode in any case. */
  int expected_mode;
  /* A covmerge_conflict_policy; COVMERGE_CONFLICT_FAIL by default. */
  int on_conflict;
  /* No effect, kept for compatibility: inputs are always read (mapping
   * measured slower, and a file truncated while mapped raises SIGBUS). */
  int use_mmap;
  /* Since 0.2. When not NULL, called with cancel_data by the worker threads
   * of covmerge_merger_finish() before each piece of input (a megabyte at
   * most) and each file folded, so from several threads at once: it must
   * be thread-safe and quick, e.g. a load of an atomic flag that a signal
   * handler sets. Once it returns non-zero the merge stops within
   * milliseconds and finish returns COVMERGE_ERROR_CANCELLED. */
  covmerge_cancel_fn cancel;
  void* cancel_data;
} covmerge_options;

/* Sets every field of `*options` to its default and struct_size to
 * sizeof(covmerge_options). NULL is ignored. Thread-safe. */
COVMERGE_API void covmerge_options_init(covmerge_options* options);

/* ---------------------------------------------------------------------- */
/* The merger                                                             */

typedef struct covmerge_merger covmerge_merger;

/* Creates a merger in `*merger` (set to NULL on failure). `options` may be
 * NULL for the defaults. Errors: COVMERGE_ERROR_USAGE for a NULL `merger`,
 * a struct_size smaller than the first version's, a larger one whose unknown
 * tail is not all zero, or a field out of range; OUT_OF_MEMORY.
 * Thread-safe. The caller owns the handle: free it with
 * covmerge_merger_free(). */
COVMERGE_API covmerge_status covmerge_merger_create(const covmerge_options* options,
                                                    covmerge_merger** merger, covmerge_error* error);

/* Frees the merger and everything it returned. NULL is ignored. */
COVMERGE_API void covmerge_merger_free(covmerge_merger* merger);

/* Adds the input `path` (the string is copied). A directory is searched
 * recursively, as the covmerge command does, for files named *.out, *.cov,
 * *.coverprofile and coverage.txt (also with .zst or .gz added), in byte
 * order of path; names starting with '.' are skipped. Files are opened only
 * by covmerge_merger_finish(), which reports a missing file. "-" is a file
 * named "-", not standard input. zstd and gzip files are read as such.
 * A directory holding a covmeta.<hash> file (`path` or one below it) is a
 * GOCOVERDIR, the binary coverage data of a Go 1.20+ binary built with
 * `go build -cover`: covmerge_merger_finish() decodes it natively and merges
 * its runs with the other inputs; a damaged or unmatched counter file there
 * fails the finish with MALFORMED naming the file, or is skipped with
 * COVMERGE_CONFLICT_SKIP.
 * Errors: USAGE (NULL argument, after finish); NOT_FOUND, PERMISSION or IO
 * when a directory cannot be read; OUT_OF_MEMORY. `*found`, when `found` is
 * not NULL, receives the number of inputs added: 1 for a file, the number
 * of profiles and GOCOVERDIRs found for a directory (0 is not an error). */
COVMERGE_API covmerge_status covmerge_merger_add_path(covmerge_merger* merger, const char* path, size_t* found,
                                                      covmerge_error* error);

/* Adds `count` paths as covmerge_merger_add_path() does, in order; all
 * inputs are parsed and merged in parallel by covmerge_merger_finish().
 * On failure, the paths before the failing one stay added. */
COVMERGE_API covmerge_status covmerge_merger_add_paths(covmerge_merger* merger, const char* const* paths,
                                                       size_t count, covmerge_error* error);

/* Adds a profile held in memory: `size` bytes at `data`, which need not end
 * in a NUL byte (and may hold zstd or gzip data). The bytes are copied; the
 * caller may reuse them when the call returns. `name` stands for the buffer
 * in messages and in covmerge_error.input. Errors: USAGE (NULL merger or
 * name, NULL data with a non-zero size, after finish); OUT_OF_MEMORY. */
COVMERGE_API covmerge_status covmerge_merger_add_buffer(covmerge_merger* merger, const char* name,
                                                        const void* data, size_t size, covmerge_error* error);

/* Parses and merges every input added, on the handle's worker threads, and
 * keeps the merged profile in the handle. Inputs may no longer be added.
 * Calling it again after success does nothing and returns COVMERGE_OK.
 * Errors: MALFORMED, CONFLICT, NOT_FOUND, PERMISSION, IO (naming the input
 * and, where there is one, the line), OUT_OF_MEMORY. With
 * COVMERGE_CONFLICT_SKIP, only a merge in which every input was skipped
 * fails. After a failure, every later call but free returns USAGE. */
COVMERGE_API covmerge_status covmerge_merger_finish(covmerge_merger* merger, covmerge_error* error);

/* ---------------------------------------------------------------------- */
/* Filters and path rules (before covmerge_merger_finish)                 */

/* Only files whose path, as the profiles name it, matches `pattern` (a
 * regular expression in Go's regexp syntax, matched by RE2 anywhere unless
 * anchored with ^ or $) are merged; with several includes, any one.
 * Exclude patterns leave out the files they match, e.g. "_mock\\.go$" or
 * "/vendor/". The command's --include and --exclude. The files left out
 * are counted in covmerge_report.excluded_files. Errors: USAGE (a pattern
 * that does not compile, naming it and why; NULL argument; after finish). */
COVMERGE_API covmerge_status covmerge_merger_add_include(covmerge_merger* merger, const char* pattern,
                                                         covmerge_error* error);
COVMERGE_API covmerge_status covmerge_merger_add_exclude(covmerge_merger* merger, const char* pattern,
                                                         covmerge_error* error);

/* A path rule for the report, its exports and the gate (not the merged
 * profile, which keeps the inputs' paths): a path that starts with
 * `prefix`, ending at a '/' or at the end of the path, has it replaced by
 * `replacement`; "" strips the prefix and the '/' after it. Rules are
 * tried in the order added, the first match wins: the command's
 * --strip-prefix (replacement "") and --path-map. Errors: USAGE (an empty
 * prefix, NULL argument, after finish). */
COVMERGE_API covmerge_status covmerge_merger_add_path_rule(covmerge_merger* merger, const char* prefix,
                                                           const char* replacement, covmerge_error* error);

/* ---------------------------------------------------------------------- */
/* Output (after a successful finish)                                     */

/* Writes the merged profile to the file `path`, through a temporary file in
 * the same directory renamed into place: `path` is either left as it was or
 * replaced whole. A name ending in ".zst" or ".gz" is written compressed.
 * A merge with no blocks writes an empty file (gocovmerge writes nothing).
 * Errors: USAGE; NOT_FOUND, PERMISSION, IO (e.g. a full disk);
 * OUT_OF_MEMORY. */
COVMERGE_API covmerge_status covmerge_merger_write_file(const covmerge_merger* merger, const char* path,
                                                        covmerge_error* error);

/* Writes the merged profile as text into `buffer`, `capacity` bytes; no NUL
 * is added. `*size` receives the length of the text. When it exceeds
 * `capacity`, the call returns COVMERGE_ERROR_BUFFER_TOO_SMALL, `*size` is
 * the capacity needed, and the buffer content is unspecified: call first
 * with a NULL buffer and capacity 0 to learn the size. */
COVMERGE_API covmerge_status covmerge_merger_write_buffer(const covmerge_merger* merger, void* buffer,
                                                          size_t capacity, size_t* size, covmerge_error* error);

/* Receives the text in pieces of up to about 256 KB, in order; returns 0
 * to go on, anything else to stop the write. Runs on the calling thread. */
typedef int (*covmerge_write_fn)(void* user_data, const void* data, size_t size);

/* Writes the merged profile through `callback`. Errors: USAGE;
 * COVMERGE_ERROR_CALLBACK when the callback returned non-zero (the value is
 * in the message); OUT_OF_MEMORY. */
COVMERGE_API covmerge_status covmerge_merger_write_callback(const covmerge_merger* merger,
                                                            covmerge_write_fn callback, void* user_data,
                                                            covmerge_error* error);

/* ---------------------------------------------------------------------- */
/* Partials: merging in a tree, across processes or machines              */

/* A partial is the merge of a range of consecutive inputs of a larger
 * merge, as bytes to ship to the process that combines it: which inputs it
 * holds (first, count), how many were merged, the inputs skipped and why,
 * warnings, and the merged profile as one zstd frame. It grows with the
 * distinct blocks, not with the inputs. The format (version 1) is that of
 * the Python module's covmerge.distributed, documented in
 * docs/partial-format.md; partials from either are read by both.
 *
 * A leaf merges original inputs first .. first+count-1 (added in that
 * order) and writes its partial; a combiner adds partials and writes one
 * for their whole range, or writes the final profile. Skipped inputs and
 * errors name the original inputs, never a partial. */

/* Writes the merged result as the partial of inputs first .. first+count-1,
 * with the buffer protocol of covmerge_merger_write_buffer() (call with a
 * NULL buffer and capacity 0 to learn the size). A leaf in which an input
 * was skipped for disagreeing with another (a conflict under
 * COVMERGE_CONFLICT_SKIP) marks its partial as needing a merge of all the
 * inputs at once: which input is skipped depends on every input before it.
 * Errors: USAGE (before finish, NULL size), BUFFER_TOO_SMALL,
 * OUT_OF_MEMORY. */
COVMERGE_API covmerge_status covmerge_merger_write_partial(const covmerge_merger* merger, uint64_t first,
                                                           uint64_t count, void* buffer, size_t capacity,
                                                           size_t* size, covmerge_error* error);

/* Adds a partial (`size` bytes, copied): its merged profile is one input,
 * and its skipped inputs, warnings and merged count join this merger's
 * (covmerge_merger_skipped(), covmerge_summary.inputs_merged). Combine
 * partials without COVMERGE_CONFLICT_SKIP: a conflict between two partials
 * is an error naming them, and the original inputs must then be merged in
 * one merger to name the inputs one machine would.
 * Errors: MALFORMED (not a version-1 partial, naming what is wrong); the
 * failure a partial holds (an original input that was damaged, missing,
 * ...: its code, input, line and message); CONFLICT for a partial that
 * needs a merge of all the inputs at once; USAGE; OUT_OF_MEMORY. */
COVMERGE_API covmerge_status covmerge_merger_add_partial(covmerge_merger* merger, const void* data, size_t size,
                                                         covmerge_error* error);

/* ---------------------------------------------------------------------- */
/* Results (after a successful finish)                                    */

/* Statement coverage as `go test -cover` computes it. */
typedef struct covmerge_coverage {
  uint64_t statements;
  uint64_t covered; /* statements in blocks that ran (count > 0) */
  double percent;   /* 100 * covered / statements; 0 when statements is 0 */
} covmerge_coverage;

/* What the merge produced, in totals. Set struct_size to
 * sizeof(covmerge_summary) before the call: fields past it are not written,
 * so a caller built against this header works with later versions. */
typedef struct covmerge_summary {
  size_t struct_size;
  covmerge_coverage total;
  int mode;              /* covmerge_mode; COVMERGE_MODE_ANY when no blocks */
  size_t file_count;     /* source files, for covmerge_merger_file() */
  size_t package_count;  /* packages, for covmerge_merger_package() */
  size_t skipped_count;  /* inputs left out, for covmerge_merger_skipped() */
  size_t warning_count;  /* for covmerge_merger_warning() */
  uint64_t inputs_merged;
  uint64_t bytes_read;   /* of the inputs merged, as stored (compressed) */
} covmerge_summary;

/* Fills `*summary`. Errors: USAGE (before finish, NULL argument, struct_size
 * below the first version's). */
COVMERGE_API covmerge_status covmerge_merger_summary(const covmerge_merger* merger, covmerge_summary* summary,
                                                     covmerge_error* error);

/* One source file of the merged profile. */
typedef struct covmerge_file {
  const char* path;   /* as in the profile, e.g. "example.com/m/pkg/a.go" */
  size_t block_count; /* for covmerge_merger_block() */
  covmerge_coverage coverage;
} covmerge_file;

/* File `index` (0 to file_count - 1), files in byte order of path.
 * Errors: USAGE (before finish, index out of range, NULL argument). */
COVMERGE_API covmerge_status covmerge_merger_file(const covmerge_merger* merger, size_t index,
                                                  covmerge_file* file, covmerge_error* error);

/* One block: a range of source and how often it ran. */
typedef struct covmerge_block {
  uint32_t start_line;
  uint32_t start_col;
  uint32_t end_line;
  uint32_t end_col;
  uint32_t num_stmt;
  uint64_t count; /* at most 9223372036854775807; set mode: 0 or 1 */
} covmerge_block;

/* Block `block_index` of file `file_index`, blocks by position.
 * Errors: USAGE (before finish, an index out of range, NULL argument). */
COVMERGE_API covmerge_status covmerge_merger_block(const covmerge_merger* merger, size_t file_index,
                                                   size_t block_index, covmerge_block* block,
                                                   covmerge_error* error);

/* The files of one package: the directory part of their import path, the
 * path up to its last '/' ("." for a path without one). */
typedef struct covmerge_package {
  const char* name; /* e.g. "example.com/m/pkg" */
  size_t file_count;
  covmerge_coverage coverage;
} covmerge_package;

/* Package `index` (0 to package_count - 1), packages in byte order of name.
 * Errors: USAGE (before finish, index out of range, NULL argument). */
COVMERGE_API covmerge_status covmerge_merger_package(const covmerge_merger* merger, size_t index,
                                                     covmerge_package* package, covmerge_error* error);

/* An input left out under COVMERGE_CONFLICT_SKIP. */
typedef struct covmerge_skipped_input {
  const char* name;   /* as it was added or found in a directory */
  const char* reason; /* the message the merge would have failed with */
} covmerge_skipped_input;

/* Skipped input `index` (0 to skipped_count - 1), in the order added.
 * Errors: USAGE (before finish, index out of range, NULL argument). */
COVMERGE_API covmerge_status covmerge_merger_skipped(const covmerge_merger* merger, size_t index,
                                                     covmerge_skipped_input* skipped, covmerge_error* error);

/* Warning `index` (0 to warning_count - 1) in `*message`: something that did
 * not stop the merge, e.g. counts that reached the largest count Go reads.
 * Errors: USAGE (before finish, index out of range, NULL argument). */
COVMERGE_API covmerge_status covmerge_merger_warning(const covmerge_merger* merger, size_t index,
                                                     const char** message, covmerge_error* error);

/* ---------------------------------------------------------------------- */
/* The report, exports and gate (after a successful finish)               */

/* What `covmerge report` shows, computed once on first use (from any
 * thread) from the merged profile after the path rules: totals per package
 * (the directory of each path) and per file, in statements and in source
 * lines (a line counts once, with the largest count of the blocks with
 * statements that cover it: the LCOV and Cobertura rule). Each call below
 * may fail with MALFORMED for a block that spans more than 1,048,576
 * lines, as the command does. Strings stay valid until
 * covmerge_merger_free(). */

typedef struct covmerge_lines {
  uint64_t lines;   /* source lines with a statement (LCOV LF) */
  uint64_t covered; /* of those, lines that ran (LH) */
  double percent;   /* 100 * covered / lines; 0 when lines is 0 */
} covmerge_lines;

/* Set struct_size to sizeof(covmerge_report) before the call. */
typedef struct covmerge_report {
  size_t struct_size;
  covmerge_coverage total;
  covmerge_lines lines;
  size_t package_count;    /* for covmerge_merger_report_package() */
  size_t file_count;       /* for covmerge_merger_report_file() */
  uint64_t excluded_files; /* distinct files the include/exclude patterns left out */
} covmerge_report;

/* Errors: USAGE (before finish, NULL argument, struct_size too small);
 * MALFORMED (see above); OUT_OF_MEMORY. */
COVMERGE_API covmerge_status covmerge_merger_report(const covmerge_merger* merger, covmerge_report* report,
                                                    covmerge_error* error);

typedef struct covmerge_report_package {
  const char* name;  /* after the path rules */
  size_t file_count;
  size_t first_file; /* its files are first_file .. first_file + file_count - 1 */
  covmerge_coverage coverage;
  covmerge_lines lines;
} covmerge_report_package;

/* Package `index` of the report, packages in byte order of name. */
COVMERGE_API covmerge_status covmerge_merger_report_package(const covmerge_merger* merger, size_t index,
                                                            covmerge_report_package* package,
                                                            covmerge_error* error);

typedef struct covmerge_report_file {
  const char* path;         /* after the path rules */
  const char* package;
  const char* profile_path; /* as the profiles name it */
  covmerge_coverage coverage;
  covmerge_lines lines;
} covmerge_report_file;

/* File `index` of the report, files by package, then path. */
COVMERGE_API covmerge_status covmerge_merger_report_file(const covmerge_merger* merger, size_t index,
                                                         covmerge_report_file* file, covmerge_error* error);

/* What an export writes: the bytes of the command's output of that name. */
typedef enum covmerge_format {
  COVMERGE_FORMAT_PROFILE = 0,   /* the merged profile (-o) */
  COVMERGE_FORMAT_TABLE = 1,     /* the table covmerge report prints, without its notes */
  COVMERGE_FORMAT_JSON = 2,      /* the JSON summary (--json, docs/json-summary.md) */
  COVMERGE_FORMAT_LCOV = 3,      /* an LCOV tracefile (--lcov) */
  COVMERGE_FORMAT_COBERTURA = 4, /* Cobertura XML (--cobertura) */
  COVMERGE_FORMAT_HTML = 5       /* a self-contained HTML report (--html) */
} covmerge_format;

/* covmerge_export_options.timestamp: SOURCE_DATE_EPOCH when set, else now. */
#define COVMERGE_TIMESTAMP_NOW (-1)

/* Options of the exports; set struct_size (covmerge_export_options_init). */
typedef struct covmerge_export_options {
  size_t struct_size;
  int by_file;          /* TABLE: also a table of files (--by-file) */
  int sort_by_coverage; /* TABLE: lowest coverage first (--sort coverage) */
  int64_t timestamp;    /* COBERTURA: seconds since the epoch, or COVMERGE_TIMESTAMP_NOW */
  const char* source;   /* COBERTURA: the <source> directory; NULL for "." */
  const char* title;    /* HTML: the page's title; NULL for "Coverage report" */
} covmerge_export_options;

/* Sets the defaults (the command's). NULL is ignored. Thread-safe. */
COVMERGE_API void covmerge_export_options_init(covmerge_export_options* options);

/* Writes `format` to the file `path` through a temporary file in the same
 * directory renamed into place, as the command writes its outputs; "-" is
 * a file named "-". `options` may be NULL for the defaults. For PROFILE a
 * name ending in ".zst" or ".gz" is compressed. Errors: USAGE (before
 * finish, NULL path, unknown format or options); MALFORMED (see above);
 * NOT_FOUND, PERMISSION, IO, DISK_FULL; OUT_OF_MEMORY. */
COVMERGE_API covmerge_status covmerge_merger_export_file(const covmerge_merger* merger, int format,
                                                         const covmerge_export_options* options, const char* path,
                                                         covmerge_error* error);

/* Writes `format` into `buffer` with the protocol of
 * covmerge_merger_write_buffer() (a NULL buffer and capacity 0 to learn the
 * size; BUFFER_TOO_SMALL with `*size` the size needed). */
COVMERGE_API covmerge_status covmerge_merger_export_buffer(const covmerge_merger* merger, int format,
                                                           const covmerge_export_options* options, void* buffer,
                                                           size_t capacity, size_t* size, covmerge_error* error);

/* The gate of `covmerge report`: fail when the total is below a minimum,
 * or fell by more than max_drop points below a baseline (an earlier run's
 * JSON summary, or a merged profile, as a file or bytes). */
typedef struct covmerge_gate_options {
  size_t struct_size;
  const char* baseline_path; /* a file, or NULL */
  const void* baseline_data; /* or the baseline's bytes (baseline_size of them); NULL */
  size_t baseline_size;
  int check_fail_under;      /* non-zero: apply fail_under */
  double fail_under;         /* percent (--fail-under) */
  double max_drop;           /* percentage points (--max-drop); 0 by default */
  /* Patch coverage (--diff): a unified diff (git diff) as a file, or its
   * bytes (diff_size of them); NULL for none. Paths after the path rules. */
  const char* diff_path;
  const void* diff_data;
  size_t diff_size;
  int check_fail_under_patch;  /* non-zero: apply fail_under_patch */
  double fail_under_patch;     /* percent (--fail-under-patch) */
  /* Floors "REGEX=PCT" per package (--threshold) and per file
   * (--file-threshold); the last matching rule applies. */
  const char* const* thresholds;
  size_t threshold_count;
  const char* const* file_thresholds;
  size_t file_threshold_count;
} covmerge_gate_options;

/* Sets the defaults: no baseline, no minimum, max_drop 0. Thread-safe. */
COVMERGE_API void covmerge_gate_options_init(covmerge_gate_options* options);

/* The verdict: a handle of its own, independent of the merger (it may
 * outlive it); read-only, so usable from several threads at once. */
typedef struct covmerge_gate covmerge_gate;

/* Evaluates the gate into `*gate` (NULL on failure; free it with
 * covmerge_gate_free()). A verdict that fails is not an error: the call
 * returns COVMERGE_OK and covmerge_gate_verdict() says passed = 0.
 * Errors: USAGE (before finish, NULL argument, both a path and data, a
 * threshold that is not "REGEX=PCT"); MALFORMED (a damaged diff, naming
 * its line);
 * NOT_FOUND, PERMISSION, IO (a baseline file that cannot be read); MALFORMED
 * (a baseline that is neither a JSON summary of version 1 nor a profile,
 * naming what is wrong); OUT_OF_MEMORY. A missing baseline never passes. */
COVMERGE_API covmerge_status covmerge_merger_gate(const covmerge_merger* merger, const covmerge_gate_options* options,
                                                  covmerge_gate** gate, covmerge_error* error);

COVMERGE_API void covmerge_gate_free(covmerge_gate* gate);

/* The verdict in totals. Set struct_size to sizeof(covmerge_verdict)
 * before the call. */
typedef struct covmerge_verdict {
  size_t struct_size;
  int passed;                /* 1 when no rule failed */
  int has_baseline;
  covmerge_coverage before;  /* the baseline's total; zero without one */
  covmerge_coverage after;   /* the total now */
  size_t change_count;       /* for covmerge_gate_change() */
  size_t failure_count;      /* for covmerge_gate_failure() */
  size_t report_line_count;  /* for covmerge_gate_report_line() */
  int has_patch;             /* a diff was given */
  covmerge_coverage patch;   /* its patch coverage */
} covmerge_verdict;

/* Errors: USAGE (NULL argument, struct_size too small). */
COVMERGE_API covmerge_status covmerge_gate_verdict(const covmerge_gate* gate, covmerge_verdict* verdict,
                                                   covmerge_error* error);

typedef enum covmerge_change_kind {
  COVMERGE_CHANGE_FELL = 0, /* coverage fell below the baseline's */
  COVMERGE_CHANGE_NEW = 1,  /* not in the baseline; `before` is zero */
  COVMERGE_CHANGE_GONE = 2  /* only in the baseline; `after` is zero */
} covmerge_change_kind;

typedef struct covmerge_package_change {
  int kind; /* covmerge_change_kind */
  const char* name;
  covmerge_coverage before;
  covmerge_coverage after;
} covmerge_package_change;

/* Change `index`, by package name. Errors: USAGE (index out of range, NULL). */
COVMERGE_API covmerge_status covmerge_gate_change(const covmerge_gate* gate, size_t index,
                                                  covmerge_package_change* change, covmerge_error* error);

/* Failure `index`: one sentence per failed rule (what the command prints
 * after "coverage gate failed: "). */
COVMERGE_API covmerge_status covmerge_gate_failure(const covmerge_gate* gate, size_t index, const char** message,
                                                   covmerge_error* error);

/* Report line `index`: what the command logs about the comparison with
 * the baseline, each changed package and the patch coverage. */
COVMERGE_API covmerge_status covmerge_gate_report_line(const covmerge_gate* gate, size_t index, const char** line,
                                                       covmerge_error* error);

/* The Markdown summary of this verdict, as `covmerge report --markdown`
 * writes it (for a pull request comment or $GITHUB_STEP_SUMMARY), in
 * `*markdown`, owned by the gate. Errors: USAGE (NULL argument). */
COVMERGE_API covmerge_status covmerge_gate_markdown(const covmerge_gate* gate, const char** markdown,
                                                    covmerge_error* error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* COVMERGE_H_ */
