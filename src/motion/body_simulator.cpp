#include "motion/body_simulator.h"
#include "motion/posture_classifier.h"
#include "motion/simulator_parts.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <numbers>
#include <random>

namespace rc::motion {

namespace {

using namespace simulator_parts;

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
        return Error::invalid_argument(fmt::format("unknown exercise \"{}\"; choose from {}", options.exercise, fmt::join(motion_exercises, ", ")));
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
    bool widened = options.realism == Realism::Widened;
    // Widened's extra draws come from their own stream, so the article's frames stay the same.
    Rng wide(options.seed ^ 0x5EED'CAFE'F00Dull);
    if (widened) {
        subject.camera_height_cm = 5 + (subject.camera_height_cm - 5) * 55.0 / 25.0;  // 5-60 cm
        subject.fps = wide.uniform(10, 30);
    }

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
    if (widened && back_roll) {
        // Start anywhere from 0.36 to 0.50 (same draw, stretched): shift the whole contact path.
        double start = path.segments.front().from;
        double shift = 0.36 + (start - 0.40) * (0.14 / 0.06) - start;
        for (auto& segment : path.segments) {
            segment.from += shift;
            segment.to += shift;
        }
        scene.roll_share = wide.chance(0.5) ? 1.0 : wide.uniform(0.0, 0.6);
    }
    double replant_at = wide.uniform(0.2, 0.8) * options.duration_s;
    double replant_by = wide.chance(0.5) ? wide.uniform(6, 14) : -wide.uniform(6, 14);
    int swap_left = 0;
    // The finder's errors, from what it did on the renders (docs/web.md, docs/motion.md): more
    // misfinds and a less steady radius with the camera near the floor. Its own random stream, so
    // the frames and landmarks stay the same with or without sightings.
    Rng finder(options.seed ^ 0xF1DE'0000'BEEFull);
    bool low_camera = subject.camera_height_cm < 15;
    double misfind_rate = low_camera ? 0.25 : 0.08;
    double radius_sd = low_camera ? 0.08 : 0.05;
    // Toward the lumbar spine the rendered backs' curve made the sighting read short of the
    // contact by 0 to 0.4 of a unit of C7-PSIS per unit past 0.55 (0.10 at 0.80 on the steepest),
    // differently for each body; the simulated body's back is straight, so the sighting is moved
    // by that much toward the head.
    double underread = finder.uniform(0.0, 0.4);
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
        if (widened)
            scene.ankle_shift = replant_by * std::clamp((t - replant_at) / 0.8, 0.0, 1.0);
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
        if (widened) {
            // The lite model's left/right swaps of the lower legs come in short bursts.
            if (swap_left > 0)
                --swap_left;
            else if (wide.chance(0.06))
                swap_left = wide.integer(2, 12);
            if (swap_left > 0)
                for (auto [left, right] : { std::pair { Id::LeftKnee, Id::RightKnee }, std::pair { Id::LeftAnkle, Id::RightAnkle },
                         std::pair { Id::LeftHeel, Id::RightHeel }, std::pair { Id::LeftFootIndex, Id::RightFootIndex } })
                    std::swap(frame.landmarks[static_cast<std::size_t>(left)], frame.landmarks[static_cast<std::size_t>(right)]);
        }
        if (back_roll && options.roller_every > 0 && i % options.roller_every == 0) {
            // The roller's near end: 45 cm of a 90 cm roller nearer the camera than the body's
            // middle, its disc seen end-on.
            double near_cm = 45;
            Vec2 centre = pose.roller_centre + Vec2 { underread * std::max(sample.value - 0.55, 0.0) * scene.body.c7_to_psis, 0 };
            Landmark c = project(frame_camera, centre, near_cm, 1);
            Landmark top = project(frame_camera, centre + Vec2 { 0, roller_radius }, near_cm, 1);
            double px = 1.0 / image_width, py = 1.0 / image_height;
            RollerSighting seen {
                static_cast<float>(c.x + finder.normal() * px),
                static_cast<float>(c.y + finder.normal() * py),
                static_cast<float>(std::hypot((top.x - c.x) * image_width, (top.y - c.y) * image_height) / image_height * (1 + radius_sd * finder.normal())),
                static_cast<float>(finder.chance(0.35) ? finder.uniform(0.1, 0.5) : finder.uniform(0.5, 1.0)),
            };
            if (finder.chance(misfind_rate)) {
                // Something else: the roller's far end or a knee, up to a trunk length away; the
                // finder is unsure of most of them, sure of a few.
                seen.x += static_cast<float>(finder.uniform(-0.15, 0.15));
                seen.y += static_cast<float>(finder.uniform(-0.05, 0.05));
                seen.radius *= static_cast<float>(finder.uniform(0.7, 1.3));
                seen.confidence = static_cast<float>(finder.chance(0.1) ? finder.uniform(0.5, 1.0) : finder.uniform(0.0, 0.15));
            }
            frame.roller = seen;
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
