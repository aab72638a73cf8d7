// SPDX-License-Identifier: Apache-2.0
#include "io/compressor.h"

#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <new>
#include <vector>

#include "base/str_cat.h"
#include "covmerge/error.h"
#include "covmerge/status_macros.h"

namespace covmerge::internal {
namespace {

class ZstdCompressor final : public Compressor {
 public:
  ZstdCompressor(Sink sink, int level) : sink_(std::move(sink)), stream_(ZSTD_createCStream()),
                                         out_(ZSTD_CStreamOutSize()) {
    if (stream_ == nullptr) throw std::bad_alloc();
    ZSTD_initCStream(stream_, level != 0 ? level : 3);  // 3: fast, and profiles still shrink ~10x
  }
  ~ZstdCompressor() override { ZSTD_freeCStream(stream_); }

  absl::Status Write(std::string_view bytes) override {
    ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
    while (in.pos < in.size) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      const size_t ret = ZSTD_compressStream(stream_, &out, &in);
      if (ZSTD_isError(ret)) return ErrorStatus({.kind = ErrorKind::kInternal, .detail = Cat("zstd compression failed: ", ZSTD_getErrorName(ret))});
      if (out.pos > 0) COVMERGE_RETURN_IF_ERROR(sink_(std::string_view(out_.data(), out.pos)));
    }
    return absl::OkStatus();
  }

  absl::Status Finish() override {
    for (;;) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      const size_t remaining = ZSTD_endStream(stream_, &out);
      if (ZSTD_isError(remaining)) return ErrorStatus({.kind = ErrorKind::kInternal, .detail = Cat("zstd compression failed: ", ZSTD_getErrorName(remaining))});
      if (out.pos > 0) COVMERGE_RETURN_IF_ERROR(sink_(std::string_view(out_.data(), out.pos)));
      if (remaining == 0) return absl::OkStatus();
    }
  }

 private:
  Sink sink_;
  ZSTD_CStream* stream_;
  std::vector<char> out_;
};

class GzipCompressor final : public Compressor {
 public:
  GzipCompressor(Sink sink, int level) : sink_(std::move(sink)), out_(1 << 16) {
    std::memset(&stream_, 0, sizeof stream_);
    // 16 + MAX_WBITS: a gzip header and trailer, as `gzip` writes.
    if (deflateInit2(&stream_, level != 0 ? level : 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::bad_alloc();
    }
  }
  ~GzipCompressor() override { deflateEnd(&stream_); }

  absl::Status Write(std::string_view bytes) override { return Deflate(bytes, Z_NO_FLUSH); }
  absl::Status Finish() override { return Deflate({}, Z_FINISH); }

 private:
  absl::Status Deflate(std::string_view bytes, int flush) {
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream_.avail_in = static_cast<uInt>(bytes.size());
    for (;;) {
      stream_.next_out = reinterpret_cast<Bytef*>(out_.data());
      stream_.avail_out = static_cast<uInt>(out_.size());
      const int ret = deflate(&stream_, flush);
      if (ret == Z_STREAM_ERROR) return ErrorStatus({.kind = ErrorKind::kInternal, .detail = "gzip compression failed"});
      const size_t produced = out_.size() - stream_.avail_out;
      if (produced > 0) COVMERGE_RETURN_IF_ERROR(sink_(std::string_view(out_.data(), produced)));
      if (flush == Z_FINISH ? ret == Z_STREAM_END : stream_.avail_in == 0 && stream_.avail_out != 0) {
        return absl::OkStatus();
      }
    }
  }

  Sink sink_;
  z_stream stream_;
  std::vector<char> out_;
};

}  // namespace

Compression CompressionForName(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends_with(".zst")) return Compression::kZstd;
  if (ends_with(".gz")) return Compression::kGzip;
  return Compression::kNone;
}

std::unique_ptr<Compressor> Compressor::Create(Compression compression, Sink sink, int level) {
  switch (compression) {
    case Compression::kZstd:
      return std::make_unique<ZstdCompressor>(std::move(sink), level);
    case Compression::kGzip:
      return std::make_unique<GzipCompressor>(std::move(sink), level);
    case Compression::kNone:
      break;
  }
  return nullptr;
}

}  // namespace covmerge::internal
