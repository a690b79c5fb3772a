// The body simulator's parts, shared by body_simulator.cpp (plans and the frame loop) and
// simulator_poses.cpp (each exercise's pose and the camera). Internal to src/motion.
#pragma once

#include "motion/body_simulator.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace rc::motion::simulator_parts {

inline constexpr double roller_radius = 7.5;
inline constexpr double pi = std::numbers::pi;
inline constexpr int image_width = 1280;
inline constexpr int image_height = 720;

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
inline double length(Vec2 v) { return std::hypot(v.x, v.y); }
inline Vec2 direction(double angle) { return { std::cos(angle), std::sin(angle) }; }

// The middle joint of a two-segment limb from root a to end c, bent to one side.
inline Vec2 middle_joint(Vec2 a, Vec2 c, double l1, double l2, double bend)
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
    Vec2 roller_centre {};  // supine on a roller: the roller's centre (cm, the floor's frame)

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

// Trapezoidal speed profile (20% ramps): position and speed over a unit move.
struct Ease {
    double position;
    double speed;
};
inline Ease ease(double tau)
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

inline bool has(std::vector<Mistake> const& mistakes, Mistake m) { return std::find(mistakes.begin(), mistakes.end(), m) != mistakes.end(); }

struct Scene {
    BodyDimensions body;
    double k { 1 };
    double hips_lift { 6 };
    double ankle_x { 0 };
    bool ankle_set { false };
    double start_fraction { 0 };
    double roll_share { 1 };     // see roll_frame
    double ankle_shift { 0 };    // feet re-planted this far (cm) from where they were first set
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

struct Camera {
    double distance_cm;
    double height_cm;
    double focal_px;
    double tilt_rad;
    double centre_x_cm;
    bool facing_right;
};

// Face, hand and foot points around the main joints.
void put_head(Pose& pose, Vec2 neck, Vec2 axis, Vec2 front, double k);
void put_hands(Pose& pose, Vec2 elbow_near, Vec2 wrist_near, Vec2 elbow_far, Vec2 wrist_far, double hand, double half_width);
void put_feet(Pose& pose, Vec2 ankle_near, Vec2 ankle_far, Vec2 heel, Vec2 toe, double half_width);

// roll_share: how much of the contact's travel the roller's centre follows (1 = rolls without
// slipping; 0 = the roller stays put and the body slides over it).
RollFrame roll_frame(BodyDimensions const& b, double s, double s0, double hips_lift, double roll_share = 1.0);
Pose pose_supine_roller(Scene& scene, double fraction, double start_fraction, double hips_lift, HandsPosition hands, double& hips_height);
Pose pose_side_lying(Scene const& scene, double offset, bool bottom_is_left, bool faces_camera);
Pose pose_figure_four(Scene const& scene, double offset_x, double offset_y, double lean);
Pose pose_prone(Scene const& scene, double offset);
Pose pose_hands_knees(Scene const& scene, double phase);
Landmark project(Camera const& camera, Vec2 p, double depth, double visibility);

}
