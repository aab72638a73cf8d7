// SPDX-License-Identifier: Apache-2.0
#include "io/decompressor.h"

#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/str_cat.h"
#include "covmerge/error.h"

namespace covmerge::internal {
namespace {

constexpr size_t kInputPiece = 256 << 10;

// Compressed bytes from a reader or from memory, a piece at a time.
class CompressedSource {
 public:
  CompressedSource(std::string name, ByteReader read, std::string_view bytes)
      : name_(std::move(name)), read_(std::move(read)), memory_(bytes), piece_(read_ ? kInputPiece : 0) {}

  // The next piece of compressed bytes; empty at the end.
  absl::StatusOr<std::string_view> Next() {
    if (!read_) return std::exchange(memory_, std::string_view());
    absl::StatusOr<size_t> n = read_(piece_.data(), piece_.size());
    if (!n.ok()) return n.status();
    return std::string_view(piece_.data(), *n);
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  ByteReader read_;
  std::string_view memory_;
  std::vector<char> piece_;
};

absl::Status Damaged(const std::string& name, std::string_view format, std::string_view detail) {
  return MalformedError(name, Cat("expected ", format, " compressed data, found damaged data (",
                                        detail, ")"));
}

absl::Status Truncated(const std::string& name, std::string_view format) {
  return MalformedError(name, Cat("expected more ", format,
                                        " compressed data, found the end of the file (truncated?)"));
}

class ZstdDecompressor final : public Decompressor {
 public:
  explicit ZstdDecompressor(std::unique_ptr<CompressedSource> source)
      : source_(std::move(source)), stream_(ZSTD_createDStream()) {}
  ~ZstdDecompressor() override { ZSTD_freeDStream(stream_); }

  absl::StatusOr<size_t> Read(char* out, size_t capacity) override {
    if (stream_ == nullptr) throw std::bad_alloc();
    ZSTD_outBuffer output{out, capacity, 0};
    while (output.pos == 0) {
      if (in_.pos == in_.size) {
        absl::StatusOr<std::string_view> piece = source_->Next();
        if (!piece.ok()) return piece.status();
        if (piece->empty()) {
          if (!frame_done_) return Truncated(source_->name(), "zstd");
          return 0;
        }
        in_ = {piece->data(), piece->size(), 0};
      }
      const size_t ret = ZSTD_decompressStream(stream_, &output, &in_);
      if (ZSTD_isError(ret)) return Damaged(source_->name(), "zstd", ZSTD_getErrorName(ret));
      frame_done_ = ret == 0;  // 0: a frame ended; another may follow
    }
    return output.pos;
  }

 private:
  std::unique_ptr<CompressedSource> source_;
  ZSTD_DStream* stream_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool frame_done_ = true;  // an empty file is no zstd data at all; caught by magic
};

class GzipDecompressor final : public Decompressor {
 public:
  explicit GzipDecompressor(std::unique_ptr<CompressedSource> source) : source_(std::move(source)) {
    std::memset(&stream_, 0, sizeof stream_);
    // 16 + MAX_WBITS: gzip format only.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
  }
  ~GzipDecompressor() override { inflateEnd(&stream_); }

  absl::StatusOr<size_t> Read(char* out, size_t capacity) override {
    stream_.next_out = reinterpret_cast<Bytef*>(out);
    stream_.avail_out = static_cast<uInt>(std::min<size_t>(capacity, UINT32_MAX));
    const uInt before = stream_.avail_out;
    while (stream_.avail_out == before) {
      if (stream_.avail_in == 0) {
        absl::StatusOr<std::string_view> piece = source_->Next();
        if (!piece.ok()) return piece.status();
        if (piece->empty()) {
          if (!member_done_) return Truncated(source_->name(), "gzip");
          return 0;
        }
        stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece->data()));
        stream_.avail_in = static_cast<uInt>(piece->size());
      }
      if (member_done_) {
        // Concatenated gzip members (cat a.gz b.gz) are one stream.
        inflateReset(&stream_);
        member_done_ = false;
      }
      const int ret = inflate(&stream_, Z_NO_FLUSH);
      if (ret == Z_STREAM_END) {
        member_done_ = true;
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        return Damaged(source_->name(), "gzip", stream_.msg != nullptr ? stream_.msg : "inflate failed");
      }
    }
    return static_cast<size_t>(before - stream_.avail_out);
  }

 private:
  std::unique_ptr<CompressedSource> source_;
  z_stream stream_;
  bool member_done_ = false;
};

}  // namespace

Compression DetectCompression(std::string_view head) {
  if (head.size() >= 4 && std::memcmp(head.data(), "\x28\xB5\x2F\xFD", 4) == 0) return Compression::kZstd;
  if (head.size() >= 2 && std::memcmp(head.data(), "\x1F\x8B", 2) == 0) return Compression::kGzip;
  return Compression::kNone;
}

absl::StatusOr<std::unique_ptr<Decompressor>> Decompressor::Open(Compression compression,
                                                                 const std::string& name,
                                                                 ByteReader read,
                                                                 std::string_view bytes) {
  auto source = std::make_unique<CompressedSource>(name, std::move(read), bytes);
  switch (compression) {
    case Compression::kZstd:
      return std::unique_ptr<Decompressor>(new ZstdDecompressor(std::move(source)));
    case Compression::kGzip:
      return std::unique_ptr<Decompressor>(new GzipDecompressor(std::move(source)));
    case Compression::kNone:
      break;
  }
  return ErrorStatus({.kind = ErrorKind::kInternal, .path = std::string(name), .detail = "not compressed"});
}

}  // namespace covmerge::internal
