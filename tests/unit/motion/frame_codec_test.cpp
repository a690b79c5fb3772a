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
    newer[4] = 2;
    EXPECT_NE(decode_binary_frame(newer).error().message.find("version 2 is not supported"), std::string::npos);

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
    for (std::string bad : { "[0.4,0.6]", "[0.4,0.6,0]", "[0.4,0.6,-0.1]", "[null,0.6,0.05]", "\"here\"", "[0.4,9,0.05]" }) {
        auto dropped = parse_frame_json(line_with("[0.5,0.5,0.0,0.9]", landmark_count, ",\"roller\":" + bad));
        ASSERT_TRUE(dropped) << bad;
        EXPECT_FALSE(dropped->frame.roller) << bad;
        EXPECT_EQ(dropped->rejected_landmarks, 1) << bad;
    }
}
