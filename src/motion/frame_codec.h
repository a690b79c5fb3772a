// Reading and writing landmark frames: JSON Lines (files, the browser) and a compact binary
// frame (streaming). Both refuse malformed input with a message that says where and why, and
// drop single bad landmarks (NaN, out of range) instead of the whole frame.
//
// JSON Lines: one object per line,
//   {"t": 12.033, "aspect": 1.778, "landmarks": [[x, y, z, visibility], ...33 entries]}
// "t" is seconds (a number); "aspect" (image width / height) is optional; an entry may also be
// {"x":..,"y":..,"z":..,"visibility":..} or null (absent). With "keypoints": "coco17" the list
// holds the 17 COCO keypoints instead. "roller": [x, y, radius] or [x, y, radius, confidence]
// (optional) is where an image cue saw the roller's end disc (confidence 0..1, absent = 1).
// Extra fields (e.g. a simulator's "truth") are ignored.
//
// Binary frame, versions 1 and 2 (little-endian), documented in docs/motion.md:
//   0  'R' 'C' 'M' 'F'   magic
//   4  u8  version (1 or 2)
//   5  u8  flags (bit 0: COCO-17 keypoints; bit 1, version 2 only: a roller sighting follows the
//          landmarks; other bits must be 0)
//   6  u8  landmark count (33, or 17 with the COCO flag)
//   7  u8  reserved (0)
//   8  i64 timestamp in microseconds
//   16 u16 aspect * 1000 (0 = unknown)
//   18 u16 reserved (0)
//   20 count * 8 bytes: i16 x, i16 y, i16 z (value * 8192), u8 visibility * 255, u8 present (0/1)
//   then, with flag bit 1, 8 bytes: i16 x, i16 y (value * 8192), u16 radius * 65535,
//          u8 confidence * 255, u8 reserved (0)
// The encoder writes version 1 for a frame without a sighting, version 2 with one.
#pragma once

#include "common/result.h"
#include "motion/landmarks.h"

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rc::motion {

struct DecodedFrame {
    Frame frame;
    int rejected_landmarks { 0 };  // present in the input but unusable (NaN, out of range)
    std::size_t consumed { 0 };    // bytes used (binary only)
};

inline constexpr std::uint8_t binary_frame_version = 2;         // the newest this build reads
inline constexpr std::uint8_t binary_frame_oldest_version = 1;  // the oldest it still reads
inline constexpr std::uint8_t binary_flag_coco = 0x01;
inline constexpr std::uint8_t binary_flag_roller = 0x02;        // version 2
inline constexpr std::size_t binary_header_size = 20;
inline constexpr std::size_t binary_landmark_size = 8;
inline constexpr std::size_t binary_roller_size = 8;
inline constexpr std::size_t binary_frame_size = binary_header_size + landmark_count * binary_landmark_size;

// One JSON object (one line). line_number only labels messages (0 = unnumbered).
Result<DecodedFrame> parse_frame_json(std::string_view line, std::size_t line_number = 0);

// A frame that is already a JSON object (a WebSocket "frame" message): the same checks and
// messages as parse_frame_json, without writing the object back to text. Landmarks with NaN or
// out-of-range values are treated as absent, as in parse_frame_json.
Result<Frame> parse_frame(nlohmann::json const& object);

// The frame as one JSON line (no newline), the format parse_frame_json reads.
std::string format_frame_json(Frame const& frame);

struct JsonlParse {
    std::vector<Frame> frames;
    std::vector<std::string> problems;  // one per skipped line or rejected landmark set
    std::size_t skipped_lines { 0 };
};

// A whole JSON Lines text: good lines become frames, bad ones are skipped and described.
// Blank lines are ignored.
JsonlParse parse_jsonl(std::string_view text);

// One binary frame (version 1 or 2) from the start of bytes. A roller sighting out of range (or
// with its reserved byte set) is dropped and counted in rejected_landmarks; the frame is kept.
Result<DecodedFrame> decode_binary_frame(std::span<std::uint8_t const> bytes);

// Appends the binary form of frame to out.
void encode_binary_frame(Frame const& frame, std::vector<std::uint8_t>& out);

}
