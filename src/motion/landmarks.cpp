#include "motion/landmarks.h"

namespace rc::motion {

std::string_view landmark_name(LandmarkId id)
{
    static constexpr std::array<std::string_view, landmark_count> names {
        "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
        "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
        "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
        "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
        "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
        "right_heel", "left_foot_index", "right_foot_index",
    };
    auto index = static_cast<std::size_t>(id);
    return index < names.size() ? names[index] : std::string_view { "unknown" };
}

LandmarkId coco17_to_mediapipe(std::size_t coco_index)
{
    static constexpr std::array<LandmarkId, coco_keypoint_count> map {
        LandmarkId::Nose, LandmarkId::LeftEye, LandmarkId::RightEye, LandmarkId::LeftEar,
        LandmarkId::RightEar, LandmarkId::LeftShoulder, LandmarkId::RightShoulder,
        LandmarkId::LeftElbow, LandmarkId::RightElbow, LandmarkId::LeftWrist, LandmarkId::RightWrist,
        LandmarkId::LeftHip, LandmarkId::RightHip, LandmarkId::LeftKnee, LandmarkId::RightKnee,
        LandmarkId::LeftAnkle, LandmarkId::RightAnkle,
    };
    return map[coco_index < map.size() ? coco_index : 0];
}

Frame map_coco17(Timestamp timestamp, float aspect, std::array<Landmark, coco_keypoint_count> const& keypoints)
{
    Frame frame;
    frame.timestamp = timestamp;
    frame.aspect = aspect;
    frame.keypoints = KeypointSet::Coco17;
    for (std::size_t i = 0; i < keypoints.size(); ++i)
        frame.at(coco17_to_mediapipe(i)) = keypoints[i];
    return frame;
}

}
