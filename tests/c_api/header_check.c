/* SPDX-License-Identifier: Apache-2.0 */
/* covmerge.h compiles as strict C11 (-std=c11 -Wall -Wextra -pedantic
 * -Werror, see CMakeLists.txt), on its own and twice over. */
#include "covmerge.h"
#include "covmerge.h"

/* Every type the header declares is complete or usable as a pointer in C. */
int covmerge_header_check(void);
int covmerge_header_check(void) {
  covmerge_options options = {sizeof(covmerge_options), 0, COVMERGE_MODE_ANY, COVMERGE_CONFLICT_FAIL, 0, 0, 0};
  covmerge_error error;
  covmerge_summary summary;
  covmerge_file file;
  covmerge_block block;
  covmerge_package package;
  covmerge_skipped_input skipped;
  covmerge_merger* merger = 0;
  covmerge_write_fn callback = 0;
  covmerge_cancel_fn cancel = 0;
  covmerge_report report;
  covmerge_report_package report_package;
  covmerge_report_file report_file;
  covmerge_export_options export_options;
  covmerge_gate_options gate_options;
  covmerge_verdict verdict;
  covmerge_package_change change;
  covmerge_gate* gate = 0;
  covmerge_lines lines;
  (void)error;
  (void)summary;
  (void)file;
  (void)block;
  (void)package;
  (void)skipped;
  (void)merger;
  (void)callback;
  (void)cancel;
  (void)report;
  (void)report_package;
  (void)report_file;
  (void)export_options;
  (void)gate_options;
  (void)verdict;
  (void)change;
  (void)gate;
  (void)lines;
  return (int)options.struct_size + COVMERGE_VERSION_MAJOR;
}
