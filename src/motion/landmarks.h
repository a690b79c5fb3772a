// Landmark frames: what the motion analyser consumes.
//
// A Frame is one camera frame's body pose: a timestamp (from the capture clock, never read here)
// and the 33 MediaPipe Pose landmarks in normalized image coordinates (x to the right and y down,
// both 0..1 across the image; z is depth on roughly the scale of x; visibility 0..1). A frame that
// came from a 17-keypoint COCO model is mapped onto the same 33 slots (see map_coco17) and carries
// KeypointSet::Coco17, so the checks that need points COCO lacks (heels, toes, hands) switch off.
//
//   Frame frame;
//   frame.timestamp = std::chrono::microseconds { 1'500'000 };
//   frame.at(LandmarkId::LeftShoulder) = Landmark { 0.41f, 0.62f, -0.1f, 0.98f };
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rc::motion {

using Timestamp = std::chrono::microseconds;

inline constexpr std::size_t landmark_count = 33;
inline constexpr std::size_t coco_keypoint_count = 17;

// MediaPipe Pose topology (BlazePose 33), in its order.
enum class LandmarkId : std::uint8_t {
    Nose, LeftEyeInner, LeftEye, LeftEyeOuter, RightEyeInner, RightEye, RightEyeOuter, LeftEar,
    RightEar, MouthLeft, MouthRight, LeftShoulder, RightShoulder, LeftElbow, RightElbow, LeftWrist,
    RightWrist, LeftPinky, RightPinky, LeftIndex, RightIndex, LeftThumb, RightThumb, LeftHip,
    RightHip, LeftKnee, RightKnee, LeftAnkle, RightAnkle, LeftHeel, RightHeel, LeftFootIndex,
    RightFootIndex,
};

std::string_view landmark_name(LandmarkId id);

enum class KeypointSet : std::uint8_t { MediaPipe33, Coco17 };

struct Landmark {
    float x { 0 };
    float y { 0 };
    float z { 0 };
    float visibility { 0 };
    bool present { false };

    constexpr Landmark() = default;
    constexpr Landmark(float x_, float y_, float z_, float visibility_)
        : x(x_), y(y_), z(z_), visibility(visibility_), present(true) { }

    bool operator==(Landmark const&) const = default;
};

// Where the roller's end disc is in the picture, when an image cue found it (the pose model has
// no landmark for it): centre in normalized image coordinates like a landmark (x across, y
// down), radius as a share of the image height. Only back rolls use it (see Analyzer).
// confidence (0..1) is how sure the finder is that it saw the near end disc; a finder that does
// not say gives 1.
struct RollerSighting {
    float x { 0 };
    float y { 0 };
    float radius { 0 };
    float confidence { 1 };

    bool operator==(RollerSighting const&) const = default;
};

struct Frame {
    Timestamp timestamp { 0 };
    // Image width / height: normalized x and y have different pixel scales, so angles and
    // lengths need it. 0 means unknown; the analyser then assumes 16:9 landscape.
    float aspect { 0 };
    KeypointSet keypoints { KeypointSet::MediaPipe33 };
    std::array<Landmark, landmark_count> landmarks {};
    std::optional<RollerSighting> roller {};

    Landmark& at(LandmarkId id) { return landmarks[static_cast<std::size_t>(id)]; }
    Landmark const& at(LandmarkId id) const { return landmarks[static_cast<std::size_t>(id)]; }

    bool operator==(Frame const&) const = default;
};

// COCO-17 order: nose, left/right eye, left/right ear, left/right shoulder, elbow, wrist, hip,
// knee, ankle. Returns the MediaPipe slot each COCO keypoint lands in.
LandmarkId coco17_to_mediapipe(std::size_t coco_index);

// A frame built from 17 COCO keypoints: the points COCO has land in their MediaPipe slots, the
// rest stay absent.
Frame map_coco17(Timestamp timestamp, float aspect, std::array<Landmark, coco_keypoint_count> const& keypoints);

}
