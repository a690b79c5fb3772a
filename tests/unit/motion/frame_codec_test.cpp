#include "motion/frame_codec.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

using namespace rc::motion;

namespace {

std::string line_with(std::string const& entry, std::size_t count = landmark_count, std::string const& extra = "")
{
    std::string landmarks;
    for (std::size_t i = 0; i < count; ++i)
        landmarks += (i ? "," : "") + (i == 0 ? entry : std::string { "[0.5,0.5,0.0,0.9]" });
    return "{\"t\":1.5" + extra + ",\"landmarks\":[" + landmarks + "]}";
}

Frame sample_frame()
{
    Frame frame;
    frame.timestamp = Timestamp { 1'234'567 };
    frame.aspect = 1.778f;
    for (std::size_t i = 0; i < landmark_count; ++i)
        frame.landmarks[i] = Landmark { 0.01f * static_cast<float>(i), 1.0f - 0.02f * static_cast<float>(i), -0.1f, 0.5f };
    frame.landmarks[7] = Landmark {};
    return frame;
}

}

TEST(FrameCodec, ParsesAMediaPipeLineWithArraysObjectsAndNulls)
{
    auto decoded = parse_frame_json(line_with("{\"x\":0.25,\"y\":0.75,\"z\":-0.1,\"visibility\":0.8}", landmark_count, ",\"aspect\":1.5"));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->frame.timestamp, Timestamp { 1'500'000 });
    EXPECT_FLOAT_EQ(decoded->frame.aspect, 1.5f);
    EXPECT_FLOAT_EQ(decoded->frame.at(LandmarkId::Nose).x, 0.25f);
    EXPECT_FLOAT_EQ(decoded->frame.at(LandmarkId::Nose).visibility, 0.8f);
    EXPECT_TRUE(decoded->frame.at(LandmarkId::RightFootIndex).present);

    auto with_null = parse_frame_json(line_with("null"));
    ASSERT_TRUE(with_null);
    EXPECT_FALSE(with_null->frame.at(LandmarkId::Nose).present);
    EXPECT_EQ(with_null->rejected_landmarks, 0);
}

TEST(FrameCodec, MapsCoco17KeypointsIntoMediaPipeSlots)
{
    auto decoded = parse_frame_json(line_with("[0.1,0.2,0,1]", coco_keypoint_count, ",\"keypoints\":\"coco17\""));
    ASSERT_TRUE(decoded) << decoded.error().message;
    Frame const& f = decoded->frame;
    EXPECT_EQ(f.keypoints, KeypointSet::Coco17);
    EXPECT_FLOAT_EQ(f.at(LandmarkId::Nose).x, 0.1f);
    EXPECT_TRUE(f.at(LandmarkId::LeftShoulder).present);
    EXPECT_TRUE(f.at(LandmarkId::RightAnkle).present);
    EXPECT_FALSE(f.at(LandmarkId::LeftHeel).present);
    EXPECT_FALSE(f.at(LandmarkId::LeftPinky).present);
    EXPECT_EQ(coco17_to_mediapipe(11), LandmarkId::LeftHip);
}

TEST(FrameCodec, RejectsTruncatedAndMalformedLinesWithTheLineNumber)
{
    std::string good = line_with("[0.5,0.5,0,1]");
    auto truncated = parse_frame_json(good.substr(0, good.size() / 2), 7);
    ASSERT_FALSE(truncated);
    EXPECT_NE(truncated.error().message.find("line 7"), std::string::npos);
    EXPECT_NE(truncated.error().message.find("truncated"), std::string::npos);
    EXPECT_FALSE(parse_frame_json("[1,2,3]"));
    EXPECT_FALSE(parse_frame_json(""));
    EXPECT_FALSE(parse_frame_json("{\"landmarks\":[]}"));                     // no t
    EXPECT_FALSE(parse_frame_json("{\"t\":\"soon\",\"landmarks\":[]}"));      // t not a number
    EXPECT_FALSE(parse_frame_json("{\"t\":-1,\"landmarks\":[]}"));            // negative t
    EXPECT_FALSE(parse_frame_json(line_with("[0.5,0.5,0,1]", 32)));          // wrong count
    EXPECT_FALSE(parse_frame_json(line_with("\"nose\"")));                    // entry not a landmark
    EXPECT_FALSE(parse_frame_json(line_with("[0.5]")));                       // too short
    EXPECT_FALSE(parse_frame_json(line_with("{\"y\":0.5}")));                 // object without x
    EXPECT_FALSE(parse_frame_json(line_with("[0.5,0.5,0,1]", landmark_count, ",\"keypoints\":\"openpose\"")));
    EXPECT_FALSE(parse_frame_json(line_with("[0.5,0.5,0,1]", landmark_count, ",\"aspect\":0")));
    auto count = parse_frame_json(line_with("[0.5,0.5,0,1]", 17));
    ASSERT_FALSE(count);
    EXPECT_NE(count.error().message.find("coco17"), std::string::npos);
}

TEST(FrameCodec, TreatsNonFiniteAndOutOfRangeLandmarksAsAbsent)
{
    // A number too large for a double makes the whole line unreadable: reported, not guessed.
    auto overflow = parse_frame_json(line_with("[1e999,0.5,0,1]"), 3);
    ASSERT_FALSE(overflow);
    EXPECT_NE(overflow.error().message.find("line 3"), std::string::npos);
    for (std::string entry : { "[0.5,-7,0,1]", "[0.5,0.5,0,1.5]", "[0.5,0.5,0,-0.1]", "[0.5,0.5,99,1]" }) {
        auto decoded = parse_frame_json(line_with(entry));
        ASSERT_TRUE(decoded) << entry;
        EXPECT_FALSE(decoded->frame.at(LandmarkId::Nose).present) << entry;
        EXPECT_EQ(decoded->rejected_landmarks, 1) << entry;
    }
}

TEST(FrameCodec, JsonLinesSkipsBadLinesAndSaysWhich)
{
    std::string text = line_with("[0.5,0.5,0,1]") + "\n\n{\"t\":2,\"landm\n" + line_with("[7,0.5,0,1]") + "\n";
    JsonlParse parsed = parse_jsonl(text);
    EXPECT_EQ(parsed.frames.size(), 2u);
    EXPECT_EQ(parsed.skipped_lines, 1u);
    ASSERT_EQ(parsed.problems.size(), 2u);
    EXPECT_NE(parsed.problems[0].find("line 3"), std::string::npos);
    EXPECT_NE(parsed.problems[1].find("line 4"), std::string::npos);
}

TEST(FrameCodec, JsonFormattingRoundTrips)
{
    Frame frame = sample_frame();
    auto decoded = parse_frame_json(format_frame_json(frame));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->frame.timestamp, frame.timestamp);
    for (std::size_t i = 0; i < landmark_count; ++i) {
        EXPECT_EQ(decoded->frame.landmarks[i].present, frame.landmarks[i].present);
        EXPECT_NEAR(decoded->frame.landmarks[i].x, frame.landmarks[i].x, 1e-5);
    }
}

TEST(FrameCodec, BinaryFrameRoundTripsWithinQuantisation)
{
    Frame frame = sample_frame();
    std::vector<std::uint8_t> bytes;
    encode_binary_frame(frame, bytes);
    ASSERT_EQ(bytes.size(), binary_frame_size);
    auto decoded = decode_binary_frame(bytes);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->consumed, binary_frame_size);
    EXPECT_EQ(decoded->frame.timestamp, frame.timestamp);
    EXPECT_NEAR(decoded->frame.aspect, 1.778f, 1e-3);
    for (std::size_t i = 0; i < landmark_count; ++i) {
        EXPECT_EQ(decoded->frame.landmarks[i].present, frame.landmarks[i].present);
        if (!frame.landmarks[i].present)
            continue;
        EXPECT_NEAR(decoded->frame.landmarks[i].x, frame.landmarks[i].x, 1.0 / 8192);
        EXPECT_NEAR(decoded->frame.landmarks[i].y, frame.landmarks[i].y, 1.0 / 8192);
        EXPECT_NEAR(decoded->frame.landmarks[i].visibility, frame.landmarks[i].visibility, 1.0 / 255);
    }
}

TEST(FrameCodec, BinaryCarriesCocoFramesIn17Slots)
{
    std::array<Landmark, coco_keypoint_count> keypoints {};
    for (auto& k : keypoints)
        k = Landmark { 0.3f, 0.6f, 0, 0.9f };
    Frame frame = map_coco17(Timestamp { 10 }, 0, keypoints);
    std::vector<std::uint8_t> bytes;
    encode_binary_frame(frame, bytes);
    EXPECT_EQ(bytes.size(), binary_header_size + coco_keypoint_count * binary_landmark_size);
    auto decoded = decode_binary_frame(bytes);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->frame.keypoints, KeypointSet::Coco17);
    EXPECT_TRUE(decoded->frame.at(LandmarkId::RightKnee).present);
    EXPECT_FALSE(decoded->frame.at(LandmarkId::RightHeel).present);
}

TEST(FrameCodec, BinaryRefusesTruncatedForeignAndNewerFrames)
{
    std::vector<std::uint8_t> bytes;
    encode_binary_frame(sample_frame(), bytes);

    auto truncated = decode_binary_frame(std::span(bytes).first(bytes.size() - 1));
    ASSERT_FALSE(truncated);
    EXPECT_NE(truncated.error().message.find("truncated"), std::string::npos);
    EXPECT_FALSE(decode_binary_frame(std::span(bytes).first(10)));
    EXPECT_FALSE(decode_binary_frame({}));

    auto foreign = bytes;
    foreign[0] = 'X';
    EXPECT_NE(decode_binary_frame(foreign).error().message.find("magic"), std::string::npos);

    auto newer = bytes;
    newer[4] = 3;
    EXPECT_NE(decode_binary_frame(newer).error().message.find("version 3 is not supported"), std::string::npos);
    auto zero = bytes;
    zero[4] = 0;
    EXPECT_NE(decode_binary_frame(zero).error().message.find("version 0 is not supported"), std::string::npos);

    auto flags = bytes;
    flags[5] = 0x80;
    EXPECT_FALSE(decode_binary_frame(flags));

    auto count = bytes;
    count[6] = 40;
    EXPECT_FALSE(decode_binary_frame(count));

    auto negative = bytes;
    negative[15] = 0x80;
    EXPECT_FALSE(decode_binary_frame(negative));

    auto odd_presence = bytes;
    odd_presence[binary_header_size + 7] = 9;
    auto decoded = decode_binary_frame(odd_presence);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->rejected_landmarks, 1);
    EXPECT_FALSE(decoded->frame.at(LandmarkId::Nose).present);
}

TEST(FrameCodec, ParsedObjectGivesTheSameFrameAndTheSameMessagesAsItsText)
{
    std::string text = line_with("[0.5,0.5,0,1]", coco_keypoint_count, ",\"keypoints\":\"coco17\",\"aspect\":0.75");
    auto from_text = parse_frame_json(text);
    auto from_object = parse_frame(nlohmann::json::parse(text));
    ASSERT_TRUE(from_text) << from_text.error().message;
    ASSERT_TRUE(from_object) << from_object.error().message;
    EXPECT_EQ(from_object->timestamp, from_text->frame.timestamp);
    EXPECT_EQ(from_object->keypoints, KeypointSet::Coco17);
    EXPECT_FLOAT_EQ(from_object->aspect, 0.75f);
    for (std::size_t i = 0; i < landmark_count; ++i) {
        EXPECT_EQ(from_object->landmarks[i].present, from_text->frame.landmarks[i].present) << i;
        EXPECT_FLOAT_EQ(from_object->landmarks[i].x, from_text->frame.landmarks[i].x) << i;
    }

    auto rejected = parse_frame(nlohmann::json::parse(line_with("[0.5,-7,0,1]")));
    ASSERT_TRUE(rejected);
    EXPECT_FALSE(rejected->at(LandmarkId::Nose).present);

    for (std::string bad : { std::string { "[1,2,3]" }, std::string { "{\"landmarks\":[]}" }, line_with("[0.5]"), line_with("[0.5,0.5,0,1]", 32) }) {
        auto as_text = parse_frame_json(bad);
        auto as_object = parse_frame(nlohmann::json::parse(bad));
        ASSERT_FALSE(as_text) << bad;
        ASSERT_FALSE(as_object) << bad;
        EXPECT_EQ(as_object.error().message, as_text.error().message);
        EXPECT_EQ(as_object.error().message.rfind("landmark frame: ", 0), 0u) << as_object.error().message;
    }
}

TEST(FrameCodec, ARollerSightingIsReadWrittenAndDroppedWhenMalformed)
{
    auto seen = parse_frame_json(line_with("[0.5,0.5,0.0,0.9]", landmark_count, ",\"roller\":[0.41,0.62,0.055]"));
    ASSERT_TRUE(seen) << seen.error().message;
    ASSERT_TRUE(seen->frame.roller);
    EXPECT_NEAR(seen->frame.roller->x, 0.41, 1e-6);
    EXPECT_NEAR(seen->frame.roller->radius, 0.055, 1e-6);
    auto again = parse_frame_json(format_frame_json(seen->frame));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->frame.roller, seen->frame.roller);

    auto none = parse_frame_json(line_with("[0.5,0.5,0.0,0.9]", landmark_count, ",\"roller\":null"));
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->frame.roller);
    EXPECT_EQ(seen->frame.roller->confidence, 1.0f) << "a finder that gives no confidence is taken at its word";
    for (std::string bad : { "[0.4,0.6]", "[0.4,0.6,0]", "[0.4,0.6,-0.1]", "[null,0.6,0.05]", "\"here\"", "[0.4,9,0.05]", "[0.4,0.6,0.05,-0.1]",
             "[0.4,0.6,0.05,1.5]", "[0.4,0.6,0.05,\"sure\"]", "[0.4,0.6,0.05,0.5,1]", "[0.4,0.6,0.05,null]", "[0.4,0.6,2,0.5]" }) {
        auto dropped = parse_frame_json(line_with("[0.5,0.5,0.0,0.9]", landmark_count, ",\"roller\":" + bad));
        ASSERT_TRUE(dropped) << bad;
        EXPECT_FALSE(dropped->frame.roller) << bad;
        EXPECT_EQ(dropped->rejected_landmarks, 1) << bad;
    }
}

TEST(FrameCodec, ARollerSightingCarriesTheFindersConfidenceInJson)
{
    auto seen = parse_frame_json(line_with("[0.5,0.5,0.0,0.9]", landmark_count, ",\"roller\":[0.41,0.62,0.055,0.25]"));
    ASSERT_TRUE(seen) << seen.error().message;
    ASSERT_TRUE(seen->frame.roller);
    EXPECT_NEAR(seen->frame.roller->confidence, 0.25, 1e-6);
    EXPECT_EQ(seen->rejected_landmarks, 0);
    auto again = parse_frame_json(format_frame_json(seen->frame));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->frame.roller, seen->frame.roller);
    for (std::string edge : { "[0.41,0.62,0.055,0]", "[0.41,0.62,0.055,1]" }) {
        auto kept = parse_frame_json(line_with("[0.5,0.5,0.0,0.9]", landmark_count, ",\"roller\":" + edge));
        ASSERT_TRUE(kept);
        EXPECT_TRUE(kept->frame.roller) << edge;
    }
}

namespace {

Frame sample_frame_with_roller(RollerSighting roller)
{
    Frame frame = sample_frame();
    frame.roller = roller;
    return frame;
}

}

TEST(FrameCodec, BinaryWithoutASightingIsStillVersion1)
{
    std::vector<std::uint8_t> bytes;
    encode_binary_frame(sample_frame(), bytes);
    ASSERT_EQ(bytes.size(), binary_frame_size);
    EXPECT_EQ(bytes[4], 1);
    EXPECT_EQ(bytes[5], 0);
}

TEST(FrameCodec, BinaryVersion2CarriesTheRollerSightingWithinQuantisation)
{
    std::vector<std::uint8_t> bytes;
    encode_binary_frame(sample_frame_with_roller({ 0.4123f, 0.6234f, 0.0551f, 0.73f }), bytes);
    ASSERT_EQ(bytes.size(), binary_frame_size + binary_roller_size);
    EXPECT_EQ(bytes[4], 2);
    EXPECT_EQ(bytes[5], binary_flag_roller);
    auto decoded = decode_binary_frame(bytes);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->consumed, bytes.size());
    EXPECT_EQ(decoded->rejected_landmarks, 0);
    ASSERT_TRUE(decoded->frame.roller);
    EXPECT_NEAR(decoded->frame.roller->x, 0.4123, 1.0 / 8192);
    EXPECT_NEAR(decoded->frame.roller->y, 0.6234, 1.0 / 8192);
    EXPECT_NEAR(decoded->frame.roller->radius, 0.0551, 1.0 / 65535);
    EXPECT_NEAR(decoded->frame.roller->confidence, 0.73, 1.0 / 255);
    EXPECT_NEAR(decoded->frame.at(LandmarkId::LeftShoulder).x, 0.11, 1.0 / 8192);

    // The same sighting on a COCO frame: both flags.
    std::array<Landmark, coco_keypoint_count> keypoints {};
    keypoints.fill(Landmark { 0.3f, 0.6f, 0, 0.9f });
    Frame coco = map_coco17(Timestamp { 10 }, 0, keypoints);
    coco.roller = RollerSighting { 0.5f, 0.7f, 0.06f, 0.0f };
    std::vector<std::uint8_t> coco_bytes;
    encode_binary_frame(coco, coco_bytes);
    EXPECT_EQ(coco_bytes[5], binary_flag_coco | binary_flag_roller);
    auto coco_decoded = decode_binary_frame(coco_bytes);
    ASSERT_TRUE(coco_decoded) << coco_decoded.error().message;
    EXPECT_EQ(coco_decoded->frame.keypoints, KeypointSet::Coco17);
    ASSERT_TRUE(coco_decoded->frame.roller);
    EXPECT_EQ(coco_decoded->frame.roller->confidence, 0.0f);
}

TEST(FrameCodec, BinaryVersion2WithTheRollerFlagClearReadsLikeVersion1)
{
    std::vector<std::uint8_t> bytes;
    encode_binary_frame(sample_frame(), bytes);
    bytes[4] = 2;
    auto decoded = decode_binary_frame(bytes);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->consumed, binary_frame_size);
    EXPECT_FALSE(decoded->frame.roller);
    EXPECT_EQ(decoded->frame.timestamp, sample_frame().timestamp);
}

TEST(FrameCodec, BinaryVersion2RefusesEveryMalformedLayout)
{
    std::vector<std::uint8_t> good;
    encode_binary_frame(sample_frame_with_roller({ 0.41f, 0.62f, 0.055f, 0.9f }), good);
    auto refused = [](std::vector<std::uint8_t> const& bytes, std::string_view says) {
        auto decoded = decode_binary_frame(bytes);
        if (decoded)
            return ::testing::AssertionFailure() << "accepted";
        if (decoded.error().message.find(says) == std::string::npos)
            return ::testing::AssertionFailure() << decoded.error().message;
        return ::testing::AssertionSuccess();
    };

    // A version 1 frame never has the roller flag: a v1 reader would misread the bytes after it.
    auto v1_with_flag = good;
    v1_with_flag[4] = 1;
    EXPECT_TRUE(refused(v1_with_flag, "unknown flags 0x02 for version 1"));
    // Bits 2-7 are unknown in version 2 too.
    for (std::uint8_t bit = 0x04; bit != 0; bit = static_cast<std::uint8_t>(bit << 1)) {
        auto unknown = good;
        unknown[5] |= bit;
        EXPECT_TRUE(refused(unknown, "unknown flags")) << int(bit);
    }
    // The sighting cut short, or missing altogether although the flag says it follows.
    for (std::size_t cut = 1; cut <= binary_roller_size; ++cut) {
        std::vector<std::uint8_t> truncated(good.begin(), good.end() - static_cast<std::ptrdiff_t>(cut));
        EXPECT_TRUE(refused(truncated, "with the roller sighting (truncated)")) << cut;
    }
    auto count = good;
    count[6] = 17;
    EXPECT_TRUE(refused(count, "17 landmarks, expected 33"));
    auto negative = good;
    negative[15] = 0x80;
    EXPECT_TRUE(refused(negative, "negative timestamp"));
    auto later = good;
    later[4] = 3;
    EXPECT_TRUE(refused(later, "version 3 is not supported (this build reads versions 1 to 2)"));

    // Bytes after the sighting are not part of the frame: consumed says where it ended.
    auto longer = good;
    longer.push_back(0);
    auto decoded = decode_binary_frame(longer);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->consumed, good.size());
}

TEST(FrameCodec, BinaryVersion2DropsAnUnusableSightingAndKeepsTheLandmarks)
{
    std::vector<std::uint8_t> good;
    encode_binary_frame(sample_frame_with_roller({ 0.41f, 0.62f, 0.055f, 0.9f }), good);
    std::size_t const at = binary_frame_size;  // the sighting's first byte
    auto dropped = [](std::vector<std::uint8_t> const& bytes) {
        auto decoded = decode_binary_frame(bytes);
        if (!decoded)
            return ::testing::AssertionFailure() << decoded.error().message;
        if (decoded->frame.roller)
            return ::testing::AssertionFailure() << "the sighting was kept";
        if (decoded->rejected_landmarks != 1 || !decoded->frame.at(LandmarkId::LeftShoulder).present)
            return ::testing::AssertionFailure() << "rejected " << decoded->rejected_landmarks;
        return ::testing::AssertionSuccess();
    };
    auto no_radius = good;
    no_radius[at + 4] = no_radius[at + 5] = 0;
    EXPECT_TRUE(dropped(no_radius));
    auto far_x = good;  // 0x7fff / 8192 = 4.0: beyond the landmarks' +-3
    far_x[at] = 0xff;
    far_x[at + 1] = 0x7f;
    EXPECT_TRUE(dropped(far_x));
    auto far_y = good;  // 0x8000 = -32768 / 8192 = -4.0
    far_y[at + 2] = 0x00;
    far_y[at + 3] = 0x80;
    EXPECT_TRUE(dropped(far_y));
    auto reserved = good;
    reserved[at + 7] = 1;
    EXPECT_TRUE(dropped(reserved));
}
