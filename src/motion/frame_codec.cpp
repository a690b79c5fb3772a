#include "motion/frame_codec.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rc::motion {

namespace {

using nlohmann::json;

// Normalized coordinates of a person partly out of the picture run a little past 0..1; far
// outside means garbage.
constexpr double coordinate_limit = 3.0;
constexpr double binary_scale = 8192.0;

std::string where(std::size_t line_number)
{
    return line_number == 0 ? std::string { "landmark frame" } : fmt::format("line {}", line_number);
}

bool usable(double x, double y, double z, double visibility)
{
    return std::isfinite(x) && std::isfinite(y) && std::isfinite(z) && std::isfinite(visibility)
        && std::abs(x) <= coordinate_limit && std::abs(y) <= coordinate_limit && std::abs(z) <= coordinate_limit
        && visibility >= 0.0 && visibility <= 1.0;
}

bool read_number(json const& value, double& out)
{
    if (!value.is_number())
        return false;
    out = value.get<double>();
    return true;
}

// Returns false when the entry is malformed (not absent: null is absent and fine).
bool read_landmark(json const& entry, Landmark& out, int& rejected)
{
    if (entry.is_null())
        return true;
    double x = 0, y = 0, z = 0, visibility = 1;
    if (entry.is_array()) {
        if (entry.size() < 2 || entry.size() > 4)
            return false;
        if (!read_number(entry[0], x) || !read_number(entry[1], y))
            return false;
        if (entry.size() > 2 && !read_number(entry[2], z))
            return false;
        if (entry.size() > 3 && !read_number(entry[3], visibility))
            return false;
    } else if (entry.is_object()) {
        auto x_it = entry.find("x");
        auto y_it = entry.find("y");
        if (x_it == entry.end() || y_it == entry.end() || !read_number(*x_it, x) || !read_number(*y_it, y))
            return false;
        if (auto it = entry.find("z"); it != entry.end() && !read_number(*it, z))
            return false;
        if (auto it = entry.find("visibility"); it != entry.end() && !read_number(*it, visibility))
            return false;
    } else {
        return false;
    }
    if (!usable(x, y, z, visibility)) {
        ++rejected;
        return true;
    }
    out = Landmark { static_cast<float>(x), static_cast<float>(y), static_cast<float>(z), static_cast<float>(visibility) };
    return true;
}

// A roller sighting in range: centre within the landmarks' limits, radius above 0 and at most the
// image height, confidence 0..1.
bool usable_sighting(double x, double y, double radius, double confidence)
{
    return std::isfinite(x) && std::isfinite(y) && std::isfinite(radius) && std::isfinite(confidence) && std::abs(x) <= coordinate_limit
        && std::abs(y) <= coordinate_limit && radius > 0 && radius <= 1 && confidence >= 0 && confidence <= 1;
}

std::uint16_t read_u16(std::uint8_t const* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::int16_t read_i16(std::uint8_t const* p) { return static_cast<std::int16_t>(read_u16(p)); }
std::int64_t read_i64(std::uint8_t const* p)
{
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return static_cast<std::int64_t>(v);
}
void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v)
{
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}
std::int16_t quantize(float v)
{
    double q = std::round(static_cast<double>(v) * binary_scale);
    if (!(q >= -32767.0)) q = -32767.0;
    if (q > 32767.0) q = 32767.0;
    return static_cast<std::int16_t>(q);
}

// The one validation of a JSON frame, for a JSON Lines line and for an object that arrived
// already parsed (a WebSocket message).
Result<DecodedFrame> decode_frame_object(json const& object, std::size_t line_number)
{
    if (!object.is_object())
        return Error::invalid_data(fmt::format("{}: expected a JSON object with \"t\" and \"landmarks\"", where(line_number)));

    DecodedFrame decoded;
    Frame& frame = decoded.frame;
    auto t = object.find("t");
    double seconds = 0;
    if (t == object.end() || !read_number(*t, seconds) || !std::isfinite(seconds) || seconds < 0 || seconds > 1e9)
        return Error::invalid_data(fmt::format("{}: \"t\" must be a timestamp in seconds (a number from 0), e.g. \"t\": 1.033", where(line_number)));
    frame.timestamp = Timestamp { static_cast<std::int64_t>(std::llround(seconds * 1e6)) };

    if (auto aspect = object.find("aspect"); aspect != object.end()) {
        double value = 0;
        if (!read_number(*aspect, value) || !std::isfinite(value) || value < 0.1 || value > 10)
            return Error::invalid_data(fmt::format("{}: \"aspect\" must be the image width / height between 0.1 and 10", where(line_number)));
        frame.aspect = static_cast<float>(value);
    }

    std::size_t expected = landmark_count;
    if (auto keypoints = object.find("keypoints"); keypoints != object.end()) {
        if (*keypoints == "coco17") {
            frame.keypoints = KeypointSet::Coco17;
            expected = coco_keypoint_count;
        } else if (*keypoints != "mediapipe33") {
            return Error::invalid_data(fmt::format("{}: \"keypoints\" must be \"mediapipe33\" or \"coco17\"", where(line_number)));
        }
    }

    auto landmarks = object.find("landmarks");
    if (landmarks == object.end() || !landmarks->is_array())
        return Error::invalid_data(fmt::format("{}: \"landmarks\" must be a list of {} entries", where(line_number), expected));
    if (landmarks->size() != expected)
        return Error::invalid_data(fmt::format("{}: \"landmarks\" has {} entries, expected {} ({})", where(line_number), landmarks->size(), expected,
            expected == landmark_count ? "MediaPipe Pose; set \"keypoints\": \"coco17\" for COCO" : "COCO-17"));

    // The roller's end disc, from an image cue outside the pose model: [x, y, radius] or
    // [x, y, radius, confidence], or null. A sighting that is not finite numbers in range is
    // dropped, like a bad landmark; a finder that gives no confidence gets 1.
    if (auto roller = object.find("roller"); roller != object.end() && !roller->is_null()) {
        double x = 0, y = 0, r = 0, confidence = 1;
        bool ok = roller->is_array() && (roller->size() == 3 || roller->size() == 4) && read_number((*roller)[0], x)
            && read_number((*roller)[1], y) && read_number((*roller)[2], r)
            && (roller->size() == 3 || read_number((*roller)[3], confidence));
        if (ok && usable_sighting(x, y, r, confidence))
            frame.roller = RollerSighting { static_cast<float>(x), static_cast<float>(y), static_cast<float>(r), static_cast<float>(confidence) };
        else
            ++decoded.rejected_landmarks;
    }

    for (std::size_t i = 0; i < expected; ++i) {
        Landmark landmark;
        if (!read_landmark((*landmarks)[i], landmark, decoded.rejected_landmarks))
            return Error::invalid_data(fmt::format("{}: landmark {} must be [x, y, z, visibility], an object with x and y, or null", where(line_number), i));
        LandmarkId id = expected == landmark_count ? static_cast<LandmarkId>(i) : coco17_to_mediapipe(i);
        frame.at(id) = landmark;
    }
    return decoded;
}

}

Result<DecodedFrame> parse_frame_json(std::string_view line, std::size_t line_number)
{
    json object = json::parse(line.begin(), line.end(), nullptr, false);
    if (object.is_discarded())
        return Error::invalid_data(fmt::format("{}: not a complete JSON object (truncated or malformed); expected {{\"t\": seconds, \"landmarks\": [[x, y, z, visibility], ...]}}", where(line_number)));
    return decode_frame_object(object, line_number);
}

Result<Frame> parse_frame(json const& object)
{
    auto decoded = TRY(decode_frame_object(object, 0));
    return decoded.frame;
}

std::string format_frame_json(Frame const& frame)
{
    std::string out = fmt::format("{{\"t\":{:.6f}", static_cast<double>(frame.timestamp.count()) / 1e6);
    if (frame.aspect > 0)
        out += fmt::format(",\"aspect\":{:.4f}", frame.aspect);
    bool coco = frame.keypoints == KeypointSet::Coco17;
    if (coco)
        out += ",\"keypoints\":\"coco17\"";
    out += ",\"landmarks\":[";
    std::size_t count = coco ? coco_keypoint_count : landmark_count;
    for (std::size_t i = 0; i < count; ++i) {
        Landmark const& l = frame.at(coco ? coco17_to_mediapipe(i) : static_cast<LandmarkId>(i));
        if (i > 0)
            out += ',';
        if (!l.present)
            out += "null";
        else
            out += fmt::format("[{:.5f},{:.5f},{:.5f},{:.3f}]", l.x, l.y, l.z, l.visibility);
    }
    out += ']';
    if (frame.roller)
        out += fmt::format(",\"roller\":[{:.5f},{:.5f},{:.5f},{:.3f}]", frame.roller->x, frame.roller->y, frame.roller->radius, frame.roller->confidence);
    out += '}';
    return out;
}

JsonlParse parse_jsonl(std::string_view text)
{
    JsonlParse result;
    std::size_t line_number = 0;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view {} : text.substr(end + 1);
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        auto decoded = parse_frame_json(line, line_number);
        if (!decoded) {
            result.problems.push_back(decoded.error().message);
            ++result.skipped_lines;
            continue;
        }
        if (decoded->rejected_landmarks > 0)
            result.problems.push_back(fmt::format("line {}: {} landmark(s) with NaN or out-of-range values treated as absent", line_number, decoded->rejected_landmarks));
        result.frames.push_back(decoded->frame);
    }
    return result;
}

Result<DecodedFrame> decode_binary_frame(std::span<std::uint8_t const> bytes)
{
    if (bytes.size() < binary_header_size)
        return Error::invalid_data(fmt::format("binary landmark frame: {} bytes is shorter than the {}-byte header (truncated)", bytes.size(), binary_header_size));
    std::uint8_t const* p = bytes.data();
    if (std::memcmp(p, "RCMF", 4) != 0)
        return Error::invalid_data("binary landmark frame: missing the \"RCMF\" magic; is this a rollcoach landmark stream?");
    std::uint8_t version = p[4];
    if (version < binary_frame_oldest_version || version > binary_frame_version)
        return Error::invalid_data(fmt::format("binary landmark frame: version {} is not supported (this build reads versions {} to {}); update rollcoach or the sender",
            version, binary_frame_oldest_version, binary_frame_version));
    std::uint8_t flags = p[5];
    std::uint8_t known = version >= 2 ? binary_flag_coco | binary_flag_roller : binary_flag_coco;
    if ((flags & ~known) != 0)
        return Error::invalid_data(fmt::format("binary landmark frame: unknown flags 0x{:02x} for version {}", flags, version));
    bool coco = (flags & binary_flag_coco) != 0;
    bool has_roller = (flags & binary_flag_roller) != 0;
    std::size_t count = p[6];
    std::size_t expected = coco ? coco_keypoint_count : landmark_count;
    if (count != expected)
        return Error::invalid_data(fmt::format("binary landmark frame: {} landmarks, expected {}", count, expected));
    std::size_t size = binary_header_size + count * binary_landmark_size + (has_roller ? binary_roller_size : 0);
    if (bytes.size() < size)
        return Error::invalid_data(fmt::format("binary landmark frame: {} bytes, expected {}{} (truncated)", bytes.size(), size,
            has_roller ? " with the roller sighting" : ""));

    DecodedFrame decoded;
    decoded.consumed = size;
    Frame& frame = decoded.frame;
    std::int64_t micros = read_i64(p + 8);
    if (micros < 0)
        return Error::invalid_data("binary landmark frame: negative timestamp");
    frame.timestamp = Timestamp { micros };
    frame.aspect = static_cast<float>(read_u16(p + 16)) / 1000.0f;
    frame.keypoints = coco ? KeypointSet::Coco17 : KeypointSet::MediaPipe33;
    std::uint8_t const* entry = p + binary_header_size;
    for (std::size_t i = 0; i < count; ++i, entry += binary_landmark_size) {
        if (entry[7] == 0)
            continue;
        if (entry[7] != 1) {
            ++decoded.rejected_landmarks;
            continue;
        }
        Landmark landmark {
            static_cast<float>(read_i16(entry) / binary_scale),
            static_cast<float>(read_i16(entry + 2) / binary_scale),
            static_cast<float>(read_i16(entry + 4) / binary_scale),
            static_cast<float>(entry[6] / 255.0),
        };
        frame.at(coco ? coco17_to_mediapipe(i) : static_cast<LandmarkId>(i)) = landmark;
    }
    if (has_roller) {
        // entry now points past the landmarks: i16 x, i16 y, u16 radius, u8 confidence, u8 reserved.
        double x = read_i16(entry) / binary_scale;
        double y = read_i16(entry + 2) / binary_scale;
        double radius = read_u16(entry + 4) / 65535.0;
        double confidence = entry[6] / 255.0;
        // A sender that fills the reserved byte is not writing version 2: its sighting is not
        // trusted, the landmarks still are.
        if (entry[7] == 0 && usable_sighting(x, y, radius, confidence))
            frame.roller = RollerSighting { static_cast<float>(x), static_cast<float>(y), static_cast<float>(radius), static_cast<float>(confidence) };
        else
            ++decoded.rejected_landmarks;
    }
    return decoded;
}

void encode_binary_frame(Frame const& frame, std::vector<std::uint8_t>& out)
{
    bool coco = frame.keypoints == KeypointSet::Coco17;
    std::size_t count = coco ? coco_keypoint_count : landmark_count;
    // Version 1 unless there is a sighting to carry, so that a frame without one stays readable
    // by a build that knows only version 1.
    bool roller = frame.roller.has_value();
    std::uint8_t flags = static_cast<std::uint8_t>((coco ? binary_flag_coco : 0) | (roller ? binary_flag_roller : 0));
    out.insert(out.end(), { 'R', 'C', 'M', 'F', roller ? binary_frame_version : binary_frame_oldest_version, flags, static_cast<std::uint8_t>(count), 0 });
    auto micros = static_cast<std::uint64_t>(frame.timestamp.count());
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<std::uint8_t>((micros >> (8 * i)) & 0xff));
    double aspect = std::isfinite(frame.aspect) ? std::round(frame.aspect * 1000.0) : 0.0;
    put_u16(out, static_cast<std::uint16_t>(aspect < 0 ? 0 : aspect > 65535 ? 65535 : aspect));
    put_u16(out, 0);
    for (std::size_t i = 0; i < count; ++i) {
        Landmark const& l = frame.at(coco ? coco17_to_mediapipe(i) : static_cast<LandmarkId>(i));
        put_u16(out, static_cast<std::uint16_t>(quantize(l.x)));
        put_u16(out, static_cast<std::uint16_t>(quantize(l.y)));
        put_u16(out, static_cast<std::uint16_t>(quantize(l.z)));
        double v = std::isfinite(l.visibility) ? std::clamp(static_cast<double>(l.visibility), 0.0, 1.0) : 0.0;
        out.push_back(static_cast<std::uint8_t>(std::lround(v * 255.0)));
        out.push_back(l.present ? 1 : 0);
    }
    if (roller) {
        RollerSighting const& r = *frame.roller;
        put_u16(out, static_cast<std::uint16_t>(quantize(r.x)));
        put_u16(out, static_cast<std::uint16_t>(quantize(r.y)));
        double radius = std::isfinite(r.radius) ? std::clamp(static_cast<double>(r.radius), 0.0, 1.0) : 0.0;
        put_u16(out, static_cast<std::uint16_t>(std::lround(radius * 65535.0)));
        double confidence = std::isfinite(r.confidence) ? std::clamp(static_cast<double>(r.confidence), 0.0, 1.0) : 0.0;
        out.push_back(static_cast<std::uint8_t>(std::lround(confidence * 255.0)));
        out.push_back(0);
    }
}

}
