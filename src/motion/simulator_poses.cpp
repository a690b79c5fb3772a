#include "motion/simulator_parts.h"

namespace rc::motion::simulator_parts {

// Face points from the neck base (C7 on the back), the head's axis and its front direction.
void put_head(Pose& pose, Vec2 neck, Vec2 axis, Vec2 front, double k)
{
    auto p = [&](double along, double forward) { return neck + axis * (along * k) + front * (forward * k); };
    pose.put(Id::Nose, p(13, 17), 0);
    pose.pair(Id::LeftEye, Id::RightEye, p(15, 13), 3 * k);
    pose.pair(Id::LeftEyeInner, Id::RightEyeInner, p(15, 13.5), 1.5 * k);
    pose.pair(Id::LeftEyeOuter, Id::RightEyeOuter, p(15, 12.5), 4.5 * k);
    pose.pair(Id::LeftEar, Id::RightEar, p(11, 7), 7.5 * k);
    pose.pair(Id::MouthLeft, Id::MouthRight, p(9.5, 15), 2.5 * k);
}

// Hand points beyond the wrist, along the forearm.
void put_hands(Pose& pose, Vec2 elbow_near, Vec2 wrist_near, Vec2 elbow_far, Vec2 wrist_far, double hand, double half_width)
{
    auto tip = [&](Vec2 elbow, Vec2 wrist, double fraction, double side) {
        Vec2 d = wrist - elbow;
        double len = std::max(length(d), 1e-6);
        Vec2 u = d * (1.0 / len);
        return wrist + u * (hand * fraction) + Vec2 { -u.y, u.x } * side;
    };
    pose.pair(Id::LeftWrist, Id::RightWrist, wrist_near, wrist_far, half_width);
    pose.pair(Id::LeftElbow, Id::RightElbow, elbow_near, elbow_far, half_width);
    pose.pair(Id::LeftPinky, Id::RightPinky, tip(elbow_near, wrist_near, 0.8, -1.5), tip(elbow_far, wrist_far, 0.8, -1.5), half_width);
    pose.pair(Id::LeftIndex, Id::RightIndex, tip(elbow_near, wrist_near, 0.9, 1.0), tip(elbow_far, wrist_far, 0.9, 1.0), half_width);
    pose.pair(Id::LeftThumb, Id::RightThumb, tip(elbow_near, wrist_near, 0.45, 2.0), tip(elbow_far, wrist_far, 0.45, 2.0), half_width);
}

// Foot points: heel and toe tip as offsets from each ankle.
void put_feet(Pose& pose, Vec2 ankle_near, Vec2 ankle_far, Vec2 heel, Vec2 toe, double half_width)
{
    pose.pair(Id::LeftAnkle, Id::RightAnkle, ankle_near, ankle_far, half_width);
    pose.pair(Id::LeftHeel, Id::RightHeel, ankle_near + heel, ankle_far + heel, half_width);
    pose.pair(Id::LeftFootIndex, Id::RightFootIndex, ankle_near + toe, ankle_far + toe, half_width);
}

RollFrame roll_frame(BodyDimensions const& b, double s, double s0, double hips_lift, double roll_share)
{
    double theta = 0.3;
    for (int i = 0; i < 30; ++i)
        theta = std::asin(std::clamp((roller_radius * (1 + std::cos(theta)) - hips_lift) / std::max(b.c7_to_hip - s, 5.0), -0.9, 0.9));
    RollFrame f;
    f.theta = theta;
    f.a = direction(theta);
    f.n = { std::sin(theta), -std::cos(theta) };
    f.centre = { (s - s0) * roll_share, roller_radius };
    f.touch = f.centre - f.n * roller_radius;
    return f;
}

// Supine on a roller (thoracic and peanut rolls). `fraction` is the contact along C7-PSIS.
Pose pose_supine_roller(Scene& scene, double fraction, double start_fraction, double hips_lift, HandsPosition hands, double& hips_height)
{
    BodyDimensions const& b = scene.body;
    double s = fraction * b.c7_to_psis;
    double lb = b.c7_to_hip;
    RollFrame roll = roll_frame(b, s, start_fraction * b.c7_to_psis, hips_lift, scene.roll_share);
    Vec2 a = roll.a;
    Vec2 m = roll.n * -1;  // toward the front of the body (up)
    auto back = [&](double u) { return roll.touch + a * (s - u); };

    Pose pose;
    pose.roller_centre = roll.centre;
    double sw = b.shoulder_width / 2, hw = b.hip_width / 2;
    Vec2 c7 = back(0);
    Vec2 shoulder = back(b.c7_to_hip - b.shoulder_to_hip) + m * b.chest_depth;
    Vec2 hip = back(lb) + m * b.pelvis_depth;
    hips_height = back(lb).y;
    pose.pair(Id::LeftShoulder, Id::RightShoulder, shoulder, sw);
    pose.pair(Id::LeftHip, Id::RightHip, hip, hw);

    double nod = 20 * pi / 180;  // chin toward the chest, the head resting in the hands
    Vec2 head_axis = a * std::cos(nod) + m * std::sin(nod);
    Vec2 head_front = m * std::cos(nod) - a * std::sin(nod);
    put_head(pose, c7, head_axis, head_front, scene.k);

    Vec2 wrist, elbow;
    if (hands == HandsPosition::BehindHead) {
        wrist = c7 + head_axis * (11 * scene.k) - head_front * (2 * scene.k);
        elbow = middle_joint(shoulder, wrist, b.upper_arm, b.forearm, 1);
        if (elbow.y < shoulder.y)
            elbow = middle_joint(shoulder, wrist, b.upper_arm, b.forearm, -1);
    } else {
        wrist = shoulder - a * (0.35 * b.shoulder_to_hip) + m * 6;
        elbow = middle_joint(shoulder, wrist, b.upper_arm, b.forearm, -1);
        if (elbow.y > wrist.y + 10 || elbow.y < 2)
            elbow = middle_joint(shoulder, wrist, b.upper_arm, b.forearm, 1);
    }
    put_hands(pose, elbow, wrist, elbow, wrist, b.hand, sw);

    if (!scene.ankle_set) {
        scene.ankle_x = hip.x - 0.72 * (b.thigh + b.shank);
        scene.ankle_set = true;
    }
    Vec2 ankle { scene.ankle_x + scene.ankle_shift, 0.3 * b.foot };
    Vec2 knee = middle_joint(hip, ankle, b.thigh, b.shank, -1);
    pose.pair(Id::LeftKnee, Id::RightKnee, knee, hw);
    put_feet(pose, ankle, ankle, Vec2 { 0.15, -0.28 } * b.foot, Vec2 { -0.75, -0.27 } * b.foot, hw);
    return pose;
}

// Side-lying on a roller under the armpit (lats); offset moves the body along its axis.
Pose pose_side_lying(Scene const& scene, double offset, bool bottom_is_left, bool faces_camera)
{
    BodyDimensions const& b = scene.body;
    Pose pose;
    pose.near_is_left = bottom_is_left;
    double shoulder_bottom_y = 2 * roller_radius + 4;
    double hip_bottom_y = 0.5 * b.hip_width;
    double sx = offset, hx = offset - b.shoulder_to_hip * 0.97;
    Vec2 sb { sx, shoulder_bottom_y }, st { sx - 2, shoulder_bottom_y + b.shoulder_width * 0.9 };
    Vec2 hb { hx, hip_bottom_y }, ht { hx, hip_bottom_y + b.hip_width * 0.95 };
    // "near" slots are the bottom side here.
    pose.pair(Id::LeftShoulder, Id::RightShoulder, sb, st, 3);
    pose.pair(Id::LeftHip, Id::RightHip, hb, ht, 3);
    Vec2 neck = (sb + st) * 0.5 + Vec2 { b.c7_to_hip - b.shoulder_to_hip, 0 };
    double face = faces_camera ? 1 : -1;
    put_head(pose, neck, { 1, 0.08 }, { 0, 0 }, scene.k);
    // In a side-lying body seen from the front or back, the face points at or away from the camera.
    for (Id id : { Id::Nose, Id::MouthLeft, Id::MouthRight, Id::LeftEye, Id::RightEye, Id::LeftEyeInner, Id::RightEyeInner, Id::LeftEyeOuter, Id::RightEyeOuter })
        pose.depth[static_cast<std::size_t>(id)] += face * 12 * scene.k;
    pose.put(bottom_is_left ? Id::LeftEar : Id::RightEar, neck + Vec2 { 11 * scene.k, -6 * scene.k }, 0);
    pose.put(bottom_is_left ? Id::RightEar : Id::LeftEar, neck + Vec2 { 11 * scene.k, 7 * scene.k }, 0);
    // Bottom arm long overhead, top hand on the floor in front of the chest.
    Vec2 bottom_wrist = sb + Vec2 { b.upper_arm + b.forearm - 2, -4 };
    Vec2 bottom_elbow = sb + Vec2 { b.upper_arm, -2 };
    Vec2 top_wrist { sx - 10, 3 };
    Vec2 top_elbow = middle_joint(st, top_wrist, b.upper_arm, b.forearm, -1);
    put_hands(pose, bottom_elbow, bottom_wrist, top_elbow, top_wrist, b.hand, 3);
    Vec2 kb = hb - Vec2 { b.thigh, 0 }, kt = ht - Vec2 { b.thigh * 0.98, 3 };
    Vec2 ab = kb - Vec2 { b.shank, -0.5 }, at = kt - Vec2 { b.shank * 0.98, 4 };
    pose.pair(Id::LeftKnee, Id::RightKnee, kb, kt, 3);
    put_feet(pose, ab, at, Vec2 { 0.12, -0.1 } * b.foot, Vec2 { -0.1, 0.15 } * b.foot, 3);
    return pose;
}

// Sitting on the roller, one ankle over the other knee (glutes); offset moves the pelvis.
Pose pose_figure_four(Scene const& scene, double offset_x, double offset_y, double lean)
{
    BodyDimensions const& b = scene.body;
    Pose pose;
    Vec2 hip { offset_x, 2 * roller_radius + b.pelvis_depth * 0.8 + offset_y };
    Vec2 axis = direction(pi - lean);  // leaning back: shoulders behind the hips
    Vec2 shoulder = hip + axis * b.shoulder_to_hip;
    Vec2 neck = hip + axis * b.c7_to_hip;
    Vec2 front { -axis.y, axis.x };
    if (front.x < 0)
        front = front * -1;
    put_head(pose, neck, axis, front, scene.k);
    pose.pair(Id::LeftShoulder, Id::RightShoulder, shoulder, b.shoulder_width / 2);
    pose.pair(Id::LeftHip, Id::RightHip, hip, b.hip_width / 2);
    Vec2 wrist { hip.x - 28 * scene.k, 2 };
    Vec2 elbow = middle_joint(shoulder, wrist, b.upper_arm, b.forearm, 1);
    put_hands(pose, elbow, wrist, elbow, wrist, b.hand, b.shoulder_width / 2);
    Vec2 ankle { hip.x + 0.78 * (b.thigh + b.shank), 0.3 * b.foot };
    Vec2 knee = middle_joint(hip, ankle, b.thigh, b.shank, 1);
    Vec2 crossed_knee = hip + Vec2 { 0.55 * b.thigh, 0.15 * b.thigh };
    Vec2 crossed_ankle = knee + Vec2 { -3, 4 };
    // far side supports, near side crosses over
    pose.pair(Id::LeftKnee, Id::RightKnee, crossed_knee, knee, b.hip_width / 2 + 12);
    put_feet(pose, crossed_ankle, ankle, Vec2 { -0.15, -0.28 } * b.foot, Vec2 { 0.75, -0.27 } * b.foot, b.hip_width / 2);
    return pose;
}

// Prone on the forearms with the roller under the front of the hips (hip flexors).
Pose pose_prone(Scene const& scene, double offset)
{
    BodyDimensions const& b = scene.body;
    Pose pose;
    Vec2 hip { offset, 2 * roller_radius + b.pelvis_depth * 0.9 };
    Vec2 elbow_floor { offset + b.shoulder_to_hip * 0.95, 3 };
    Vec2 shoulder = elbow_floor + Vec2 { -3, b.upper_arm };
    Vec2 axis = shoulder - hip;
    axis = axis * (1.0 / length(axis));
    Vec2 down { axis.y, -axis.x };
    Vec2 neck = hip + axis * b.c7_to_hip - down * 3;
    double lift = 25 * pi / 180;  // looking down and a little ahead
    Vec2 head_axis = axis * std::cos(lift) - down * std::sin(lift);
    Vec2 head_front = down * std::cos(lift) + axis * std::sin(lift);
    put_head(pose, neck, head_axis, head_front, scene.k);
    pose.pair(Id::LeftShoulder, Id::RightShoulder, shoulder, b.shoulder_width / 2);
    pose.pair(Id::LeftHip, Id::RightHip, hip, b.hip_width / 2);
    Vec2 wrist = elbow_floor + Vec2 { b.forearm, 0 };
    put_hands(pose, elbow_floor, wrist, elbow_floor, wrist, b.hand, b.shoulder_width / 2 - 5);
    Vec2 knee = hip + Vec2 { -b.thigh * 0.97, -(hip.y - 7) * 0.7 };
    Vec2 ankle = knee + Vec2 { -b.shank * 0.98, 0 };
    ankle.y = 0.78 * b.foot;
    pose.pair(Id::LeftKnee, Id::RightKnee, knee, b.hip_width / 2);
    put_feet(pose, ankle, ankle, Vec2 { -0.1, 0.1 } * b.foot, Vec2 { 0, -0.75 } * b.foot, b.hip_width / 2);
    return pose;
}

// Hands and knees (cat-cow); phase -1 (cat: back rounded, head down) .. +1 (cow: head up).
Pose pose_hands_knees(Scene const& scene, double phase)
{
    BodyDimensions const& b = scene.body;
    Pose pose;
    Vec2 wrist { b.shoulder_to_hip, 1 };
    Vec2 shoulder = wrist + Vec2 { 0, b.upper_arm + b.forearm - 2 };
    Vec2 knee { 0, 4 };
    Vec2 hip = knee + Vec2 { 2 * phase, b.thigh - 2 + 2 * phase };
    Vec2 axis = shoulder - hip;
    axis = axis * (1.0 / length(axis));
    Vec2 down { axis.y, -axis.x };
    Vec2 neck = shoulder + axis * (b.c7_to_hip - b.shoulder_to_hip) - down * (b.chest_depth + 2 * phase);
    double head = (10 + 35 * phase) * pi / 180;  // positive: looking up
    Vec2 head_axis = axis * std::cos(head) - down * std::sin(head);
    Vec2 head_front = down * std::cos(head) + axis * std::sin(head);
    put_head(pose, neck, head_axis, head_front, scene.k);
    pose.pair(Id::LeftShoulder, Id::RightShoulder, shoulder, b.shoulder_width / 2);
    pose.pair(Id::LeftHip, Id::RightHip, hip, b.hip_width / 2);
    Vec2 elbow = shoulder + Vec2 { 1, -b.upper_arm };
    put_hands(pose, elbow, wrist, elbow, wrist, b.hand, b.shoulder_width / 2);
    pose.pair(Id::LeftKnee, Id::RightKnee, knee, b.hip_width / 2);
    Vec2 ankle { -b.shank, 5 };
    put_feet(pose, ankle, ankle, Vec2 { 0.05, 0.2 } * b.foot, Vec2 { -0.75, -0.15 } * b.foot, b.hip_width / 2);
    return pose;
}

Landmark project(Camera const& camera, Vec2 p, double depth, double visibility)
{
    double z = camera.distance_cm - depth;
    double x = (camera.facing_right ? 1 : -1) * (p.x - camera.centre_x_cm);
    double u = camera.focal_px * x / z;
    double v = -camera.focal_px * (p.y - camera.height_cm) / z + image_height * 0.2;
    double c = std::cos(camera.tilt_rad), s = std::sin(camera.tilt_rad);
    double ru = c * u - s * v, rv = s * u + c * v;
    return Landmark {
        static_cast<float>((ru + image_width / 2.0) / image_width),
        static_cast<float>((rv + image_height / 2.0) / image_height),
        static_cast<float>(-depth * camera.focal_px / camera.distance_cm / image_width),
        static_cast<float>(visibility),
    };
}

}
