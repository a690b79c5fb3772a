#include "motion/body_simulator.h"
#include "motion/posture_classifier.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numbers>
#include <random>

namespace rc::motion {

namespace {

constexpr double roller_radius = 7.5;
constexpr double pi = std::numbers::pi;
constexpr int image_width = 1280;
constexpr int image_height = 720;

// std::uniform_real_distribution and std::normal_distribution differ between standard libraries;
// these are written out so a seed gives the same frames everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_engine(seed) { }
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    bool chance(double p) { return uniform() < p; }
    double normal()
    {
        double u1 = std::max(uniform(), 1e-300);
        double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * pi * u2);
    }
    int integer(int low, int high) { return low + static_cast<int>(uniform() * (high - low + 1)) % (high - low + 1); }

private:
    std::mt19937_64 m_engine;
};

struct Vec2 {
    double x { 0 };
    double y { 0 };
    Vec2 operator+(Vec2 o) const { return { x + o.x, y + o.y }; }
    Vec2 operator-(Vec2 o) const { return { x - o.x, y - o.y }; }
    Vec2 operator*(double k) const { return { x * k, y * k }; }
};
double length(Vec2 v) { return std::hypot(v.x, v.y); }
Vec2 direction(double angle) { return { std::cos(angle), std::sin(angle) }; }

// The middle joint of a two-segment limb from root a to end c, bent to one side.
Vec2 middle_joint(Vec2 a, Vec2 c, double l1, double l2, double bend)
{
    Vec2 d = c - a;
    double dist = length(d);
    Vec2 u = dist > 1e-9 ? d * (1.0 / dist) : Vec2 { 1, 0 };
    dist = std::clamp(dist, std::abs(l1 - l2) + 1e-6, l1 + l2 - 1e-6);
    double along = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist);
    double h = std::sqrt(std::max(0.0, l1 * l1 - along * along));
    return a + u * along + Vec2 { -u.y, u.x } * (h * bend);
}

using Id = LandmarkId;

// One pose in world centimetres: x along the floor (headward positive before mirroring), y up,
// depth toward the camera.
struct Pose {
    std::array<Vec2, landmark_count> at {};
    std::array<double, landmark_count> depth {};
    bool near_is_left { true };

    void put(Id id, Vec2 p, double d)
    {
        at[static_cast<std::size_t>(id)] = p;
        depth[static_cast<std::size_t>(id)] = d;
    }
    // A left/right pair: near gets +half_width depth.
    void pair(Id left, Id right, Vec2 near, Vec2 far, double half_width)
    {
        put(near_is_left ? left : right, near, half_width);
        put(near_is_left ? right : left, far, -half_width);
    }
    void pair(Id left, Id right, Vec2 p, double half_width) { pair(left, right, p, p, half_width); }
};

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

// Trapezoidal speed profile (20% ramps): position and speed over a unit move.
struct Ease {
    double position;
    double speed;
};
Ease ease(double tau)
{
    constexpr double ramp = 0.2;
    constexpr double peak = 1.0 / (1.0 - ramp);
    tau = std::clamp(tau, 0.0, 1.0);
    if (tau < ramp)
        return { peak * tau * tau / (2 * ramp), peak * tau / ramp };
    if (tau < 1 - ramp)
        return { peak * (tau - ramp / 2), peak };
    double rest = 1 - tau;
    return { 1 - peak * rest * rest / (2 * ramp), peak * rest / ramp };
}

struct Segment {
    double t0, t1;
    double from, to;
    bool hold;
};

// A piecewise path of one coordinate (contact fraction or body offset) over time.
struct Path {
    std::vector<Segment> segments;
    double end() const { return segments.empty() ? 0 : segments.back().t1; }
    double last() const { return segments.empty() ? 0 : segments.back().to; }
    void move(double to, double duration) { segments.push_back({ end(), end() + duration, last(), to, false }); }
    void hold(double duration) { segments.push_back({ end(), end() + duration, last(), last(), true }); }

    struct Sample {
        double value;
        double rate;  // per second
        bool holding;
    };
    Sample at(double t) const
    {
        for (auto const& s : segments) {
            if (t < s.t1 || &s == &segments.back()) {
                double span = s.t1 - s.t0;
                Ease e = ease(span > 0 ? (t - s.t0) / span : 1);
                return { s.from + (s.to - s.from) * e.position, span > 0 ? (s.to - s.from) * e.speed / span : 0, s.hold };
            }
        }
        return { 0, 0, true };
    }
};

bool has(std::vector<Mistake> const& mistakes, Mistake m) { return std::find(mistakes.begin(), mistakes.end(), m) != mistakes.end(); }

// The contact path of a back roll, as a fraction of C7-PSIS.
Path plan_back_roll(Rng& rng, std::vector<Mistake> const& mistakes, double duration, bool peanut)
{
    Path path;
    double start = rng.uniform(0.40, 0.46);  // just below the shoulder blades (inferior angle ~T7)
    path.segments.push_back({ 0, rng.uniform(1.5, 2.5), start, start, true });
    bool fast = has(mistakes, Mistake::Fast);
    bool lumbar = has(mistakes, Mistake::Lumbar);
    bool neck = has(mistakes, Mistake::Neck);
    bool long_hold = has(mistakes, Mistake::LongHold);
    bool want_hold = long_hold || rng.chance(0.5);
    int hold_pass = rng.integer(2, 5);
    // Passes alternate: even ones go toward the neck, odd ones toward the sacrum.
    int lumbar_first = 2 * rng.integer(1, 2) + 1;
    int neck_first = 2 * rng.integer(0, 1) + 2;
    int pass = 0;
    bool up = true;  // toward the neck
    while (path.end() < duration) {
        double target;
        double dwell = 0;
        if (up) {
            target = peanut ? rng.uniform(0.20, 0.26) : rng.uniform(0.12, 0.18);
            if (neck && (pass == neck_first || pass == neck_first + 8)) {
                target = rng.uniform(-0.08, -0.01);
                dwell = rng.uniform(0.8, 1.5);
            }
        } else {
            target = peanut ? rng.uniform(0.50, 0.56) : rng.uniform(0.55, 0.62);
            if (lumbar && (pass == lumbar_first || pass == lumbar_first + 8)) {
                target = rng.uniform(0.77, 0.84);
                dwell = rng.uniform(1.0, 2.5);
            }
        }
        double span = std::abs(target - path.last());
        double seconds_per_full_pass = fast ? rng.uniform(0.6, 1.1) : rng.uniform(2.2, 3.8);
        path.move(target, std::max(0.3, seconds_per_full_pass * span / 0.45));
        if (dwell > 0)
            path.hold(dwell);
        if (want_hold && pass == hold_pass) {
            path.move(rng.uniform(0.28, 0.5), rng.uniform(1.5, 2.5));
            path.hold(long_hold ? rng.uniform(40, 55) : rng.uniform(20, 28));
            want_hold = false;
        }
        up = !up;
        ++pass;
    }
    return path;
}

// The body offset path of the short rolls (lats, glutes, hip flexors): small rocking with a hold.
Path plan_rocking(Rng& rng, std::vector<Mistake> const& mistakes, double duration, double amplitude)
{
    Path path;
    path.segments.push_back({ 0, rng.uniform(1.5, 2.5), 0, 0, true });
    bool long_hold = has(mistakes, Mistake::LongHold);
    bool want_hold = long_hold || rng.chance(0.5);
    int hold_at = rng.integer(2, 5);
    int swing = 0;
    double sign = 1;
    while (path.end() < duration) {
        double seconds = has(mistakes, Mistake::Fast) ? rng.uniform(0.4, 0.7) : rng.uniform(1.2, 2.2);
        path.move(sign * amplitude * rng.uniform(0.7, 1.0), seconds);
        sign = -sign;
        if (want_hold && swing == hold_at) {
            path.hold(long_hold ? rng.uniform(40, 55) : rng.uniform(20, 28));
            want_hold = false;
        }
        ++swing;
    }
    return path;
}

struct Scene {
    BodyDimensions body;
    double k { 1 };
    double hips_lift { 6 };
    double ankle_x { 0 };
    bool ankle_set { false };
    double start_fraction { 0 };
};

// The trunk on the roller: it leans on the roller at the contact and on the hips' height further
// down; the roller sits where rolling without slipping put it (half the body's travel).
struct RollFrame {
    double theta;
    Vec2 a;       // hip -> C7, headward
    Vec2 n;       // out of the back, into the roller
    Vec2 centre;  // roller centre
    Vec2 touch;   // contact point on the back
};
RollFrame roll_frame(BodyDimensions const& b, double s, double s0, double hips_lift)
{
    double theta = 0.3;
    for (int i = 0; i < 30; ++i)
        theta = std::asin(std::clamp((roller_radius * (1 + std::cos(theta)) - hips_lift) / std::max(b.c7_to_hip - s, 5.0), -0.9, 0.9));
    RollFrame f;
    f.theta = theta;
    f.a = direction(theta);
    f.n = { std::sin(theta), -std::cos(theta) };
    f.centre = { s - s0, roller_radius };
    f.touch = f.centre - f.n * roller_radius;
    return f;
}

// Supine on a roller (thoracic and peanut rolls). `fraction` is the contact along C7-PSIS.
Pose pose_supine_roller(Scene& scene, double fraction, double start_fraction, double hips_lift, HandsPosition hands, double& hips_height)
{
    BodyDimensions const& b = scene.body;
    double s = fraction * b.c7_to_psis;
    double lb = b.c7_to_hip;
    RollFrame roll = roll_frame(b, s, start_fraction * b.c7_to_psis, hips_lift);
    Vec2 a = roll.a;
    Vec2 m = roll.n * -1;  // toward the front of the body (up)
    auto back = [&](double u) { return roll.touch + a * (s - u); };

    Pose pose;
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
    Vec2 ankle { scene.ankle_x, 0.3 * b.foot };
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

struct Camera {
    double distance_cm;
    double height_cm;
    double focal_px;
    double tilt_rad;
    double centre_x_cm;
    bool facing_right;
};

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

std::string_view to_string(Mistake mistake)
{
    switch (mistake) {
    case Mistake::Lumbar: return "lumbar";
    case Mistake::Neck: return "neck";
    case Mistake::Fast: return "fast";
    case Mistake::HandsOff: return "hands";
    case Mistake::HipsDown: return "hips";
    case Mistake::LongHold: return "long";
    case Mistake::Framing: return "framing";
    }
    return "unknown";
}

Result<std::vector<Mistake>> parse_mistakes(std::string_view list)
{
    std::vector<Mistake> mistakes;
    while (!list.empty()) {
        auto comma = list.find(',');
        std::string_view name = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view {} : list.substr(comma + 1);
        if (name.empty() || name == "none")
            continue;
        bool found = false;
        for (Mistake m : { Mistake::Lumbar, Mistake::Neck, Mistake::Fast, Mistake::HandsOff, Mistake::HipsDown, Mistake::LongHold, Mistake::Framing }) {
            if (to_string(m) == name) {
                mistakes.push_back(m);
                found = true;
            }
        }
        if (!found)
            return Error::invalid_argument(fmt::format("unknown mistake \"{}\"; choose from lumbar, neck, fast, hands, hips, long, framing", name));
    }
    return mistakes;
}

bool is_known_exercise(std::string_view exercise)
{
    return std::find(std::begin(simulated_exercises), std::end(simulated_exercises), exercise) != std::end(simulated_exercises);
}

std::string_view to_string(HandsPosition hands)
{
    switch (hands) {
    case HandsPosition::BehindHead: return "behind_head";
    case HandsPosition::OnChest: return "on_chest";
    case HandsPosition::OnFloor: return "on_floor";
    case HandsPosition::Overhead: return "overhead";
    case HandsPosition::UnderShoulders: return "under_shoulders";
    }
    return "unknown";
}

BackRollGeometry compute_back_roll_geometry(BodyDimensions const& body, double fraction, double start_fraction, double hips_lift)
{
    BackRollGeometry g;
    double s = fraction * body.c7_to_psis;
    RollFrame roll = roll_frame(body, s, start_fraction * body.c7_to_psis, hips_lift);
    Vec2 a = roll.a;
    Vec2 centre = roll.centre;
    Vec2 c7 = roll.touch + a * s;
    g.roller_centre_x = centre.x;
    g.roller_centre_y = centre.y;
    g.c7_x = c7.x;
    g.c7_y = c7.y;
    g.trunk_angle_rad = roll.theta;
    // distance from the centre to the line through c7 along a
    Vec2 d = centre - c7;
    g.back_to_roller_cm = std::abs(d.x * a.y - d.y * a.x);
    return g;
}

Result<Simulation> simulate(SimulationOptions const& options)
{
    if (!is_known_exercise(options.exercise))
        return Error::invalid_argument(fmt::format("unknown exercise \"{}\"; choose from thoracic_roll, lat_roll, glute_roll, hip_flexor_roll, peanut_erector_roll, cat_cow", options.exercise));
    if (!(options.duration_s > 0) || options.duration_s > 3600)
        return Error::invalid_argument("the simulated duration must be between 0 and 3600 seconds");

    Rng rng(options.seed);
    Simulation sim;
    Subject& subject = sim.subject;
    subject.height_cm = rng.uniform(150, 200);
    subject.sex = rng.chance(0.5) ? Sex::Male : Sex::Female;
    subject.camera_distance_m = rng.uniform(2.0, 3.5);
    subject.camera_height_cm = rng.uniform(5, 30);
    subject.camera_tilt_deg = rng.uniform(-3, 3);
    subject.facing_right = rng.chance(0.5);
    subject.fps = rng.chance(0.8) ? 30 : 25;
    subject.noise_cm = rng.uniform(0.4, 1.5);

    Scene scene;
    scene.body = BodyDimensions::for_height(Centimetres { subject.height_cm }, subject.sex);
    scene.body.c7_to_psis *= 1 + 0.03 * std::clamp(rng.normal(), -2.5, 2.5);  // people differ beyond height
    subject.c7_to_psis_cm = scene.body.c7_to_psis;
    scene.k = subject.height_cm / reference_height_cm;

    std::string_view exercise = is_known_exercise(options.exercise) ? *std::find(std::begin(simulated_exercises), std::end(simulated_exercises), options.exercise) : "";
    auto const& mistakes = options.mistakes;
    bool back_roll = exercise == "thoracic_roll" || exercise == "peanut_erector_roll";
    Path path;
    if (back_roll)
        path = plan_back_roll(rng, mistakes, options.duration_s, exercise == "peanut_erector_roll");
    else if (exercise == "lat_roll")
        path = plan_rocking(rng, mistakes, options.duration_s, rng.uniform(3, 5));
    else if (exercise == "hip_flexor_roll")
        path = plan_rocking(rng, mistakes, options.duration_s, rng.uniform(2, 4));
    else if (exercise == "glute_roll")
        path = plan_rocking(rng, mistakes, options.duration_s, rng.uniform(2, 3.5));
    double start_fraction = path.segments.empty() ? 0 : path.segments.front().from;
    double hips_lift = has(mistakes, Mistake::HipsDown) ? rng.uniform(0.0, 0.8) : rng.uniform(4, 8);
    bool hands_off = has(mistakes, Mistake::HandsOff);
    double hands_off_from = rng.uniform(0.2, 0.4) * options.duration_s;
    double hands_off_to = hands_off_from + rng.uniform(0.3, 0.5) * options.duration_s;
    bool bottom_is_left = rng.chance(0.5);
    bool faces_camera = rng.chance(0.5);
    double lean = rng.uniform(50, 65) * pi / 180;
    double cat_period = rng.uniform(5, 8);
    double framing_from = rng.uniform(0.3, 0.4) * options.duration_s;
    double framing_to = framing_from + rng.uniform(8, 15);

    double hfov = rng.uniform(60, 70) * pi / 180;
    Camera camera {
        subject.camera_distance_m * 100, subject.camera_height_cm, image_width / 2.0 / std::tan(hfov / 2),
        subject.camera_tilt_deg * pi / 180, rng.uniform(-10, 10), subject.facing_right,
    };
    double image_span_cm = camera.distance_cm * image_width / camera.focal_px;
    double dt = 1.0 / subject.fps;
    double drop_rate = rng.uniform(0.0, 0.03);
    double low_visibility_rate = rng.uniform(0.0, 0.06);

    int frame_count = static_cast<int>(options.duration_s * subject.fps);
    sim.frames.reserve(static_cast<std::size_t>(frame_count));
    int burst = 0;
    for (int i = 0; i < frame_count; ++i) {
        double t = i * dt;
        Path::Sample sample = path.at(t);
        FrameTruth truth;
        truth.exercise = exercise;
        truth.holding = sample.holding;
        Pose pose;
        double hips_height = 0;
        if (back_roll) {
            HandsPosition hands = hands_off && t >= hands_off_from && t < hands_off_to ? HandsPosition::OnChest : HandsPosition::BehindHead;
            pose = pose_supine_roller(scene, sample.value, start_fraction, hips_lift, hands, hips_height);
            truth.posture = to_string(Posture::SupineOnRoller);
            truth.on_roller_back = true;
            truth.contact_fraction = sample.value;
            truth.contact_cm = sample.value * scene.body.c7_to_psis;
            truth.level = spinal_level_name(sample.value);
            truth.zone = to_string(spinal_zone(sample.value));
            truth.speed_cm_s = std::abs(sample.rate) * scene.body.c7_to_psis;
            truth.hands = hands;
        } else if (exercise == "lat_roll") {
            pose = pose_side_lying(scene, sample.value, bottom_is_left, faces_camera);
            truth.posture = to_string(Posture::SideLying);
            truth.speed_cm_s = std::abs(sample.rate);
            truth.hands = HandsPosition::Overhead;
            hips_height = 0;
        } else if (exercise == "glute_roll") {
            double angle = sample.value / 3.0 * pi;
            pose = pose_figure_four(scene, sample.value, std::sin(angle) * 1.5, lean);
            truth.posture = to_string(Posture::SeatedFigureFour);
            truth.speed_cm_s = std::abs(sample.rate);
            truth.hands = HandsPosition::OnFloor;
            hips_height = 2 * roller_radius;
        } else if (exercise == "hip_flexor_roll") {
            pose = pose_prone(scene, sample.value);
            truth.posture = to_string(Posture::Prone);
            truth.speed_cm_s = std::abs(sample.rate);
            truth.hands = HandsPosition::UnderShoulders;
            hips_height = 2 * roller_radius;
        } else {
            double phase = t < 2 ? 0 : std::sin(2 * pi * (t - 2) / cat_period);
            pose = pose_hands_knees(scene, phase);
            truth.posture = to_string(Posture::HandsAndKnees);
            truth.hands = HandsPosition::UnderShoulders;
            truth.speed_cm_s = 0;
            truth.holding = false;
            hips_height = pose.at[static_cast<std::size_t>(Id::LeftHip)].y - scene.body.pelvis_depth;
        }
        truth.hips_height_cm = hips_height;
        if (!subject.facing_right)
            pose.near_is_left = !pose.near_is_left;  // cosmetic: the other side of the body faces the camera

        if (i == 0) {
            // Frame the body: the camera points at the middle of the first pose.
            double low = 1e9, high = -1e9;
            for (auto const& p : pose.at) {
                low = std::min(low, p.x);
                high = std::max(high, p.x);
            }
            camera.centre_x_cm = (low + high) / 2 + camera.centre_x_cm;
        }
        Camera frame_camera = camera;
        if (has(mistakes, Mistake::Framing) && t >= framing_from && t < framing_to)
            frame_camera.centre_x_cm += 0.45 * image_span_cm;

        bool dropped = rng.chance(drop_rate) || burst > 0;
        if (burst > 0)
            --burst;
        else if (rng.chance(0.002))
            burst = rng.integer(3, 10);

        Frame frame;
        frame.timestamp = Timestamp { static_cast<std::int64_t>(std::llround(t * 1e6)) };
        frame.aspect = static_cast<float>(image_width) / image_height;
        bool in_view = true;
        for (std::size_t j = 0; j < landmark_count; ++j) {
            Vec2 p = pose.at[j] + Vec2 { rng.normal() * subject.noise_cm, rng.normal() * subject.noise_cm };
            double visibility = pose.depth[j] >= 0 ? rng.uniform(0.93, 0.995) : rng.uniform(0.8, 0.97);
            if (rng.chance(low_visibility_rate / 10)) {
                p = p + Vec2 { rng.normal() * 10, rng.normal() * 10 };
                visibility = rng.uniform(0.1, 0.45);
            }
            Landmark l = project(frame_camera, p, pose.depth[j], visibility);
            if (l.x < 0 || l.x > 1 || l.y < 0 || l.y > 1)
                in_view = false;
            frame.landmarks[j] = l;
        }
        truth.in_view = in_view;
        if (dropped)
            continue;
        sim.frames.push_back({ frame, truth });
    }
    return sim;
}

}

#include <nlohmann/json.hpp>

namespace rc::motion {

void to_json(nlohmann::json& out, FrameTruth const& truth)
{
    out = nlohmann::json {
        { "exercise", truth.exercise },
        { "posture", truth.posture },
        { "hands", to_string(truth.hands) },
        { "hips_height_cm", truth.hips_height_cm },
        { "speed_cm_s", truth.speed_cm_s },
        { "holding", truth.holding },
        { "in_view", truth.in_view },
    };
    if (truth.on_roller_back) {
        out["contact_cm"] = truth.contact_cm;
        out["contact_fraction"] = truth.contact_fraction;
        out["level"] = truth.level;
        out["zone"] = truth.zone;
    }
}

}
