// Scores the analyser on rendered clips run through the real pose model (tests/data/footage):
// the targets measured against truth that the renderer, not the analyser, produced.
//
//   FootageReport r = evaluate_footage(footage_dir / "heldout", "lite");
//   std::cout << r.summary();
#pragma once

#include "knowledge/motion_thresholds.h"
#include "motion/roller_look.h"

#include <filesystem>
#include <string>
#include <vector>

namespace rc::motion {

struct ClipScore {
    std::string name;
    int frames { 0 };
    int frames_with_contact { 0 };
    double contact_median_error_cm { 0 };
    int lumbar_episodes { 0 };
    int lumbar_detected { 0 };      // first warning within 0.7 s of crossing L1 (or before, inside the pass)
    int lumbar_warned_late { 0 };   // warned during the episode, but later than 0.7 s
    int lumbar_warnings { 0 };
    int lumbar_true_warnings { 0 };
    int neck_warnings { 0 };
    int neck_true_warnings { 0 };
    double recognised_share { 0 };  // frames recognised as supine on a roller with no exercise given
    int roller_sightings { 0 };     // frames that carried a roller sighting (RollerCue::Used)
    int hands_off_episodes { 0 };   // the `hands` mistake (truth: hands off the head)
    int hands_off_warned { 0 };     // head_unsupported during the episode or within 1.5 s after its start
    int head_warnings_false { 0 };  // head_unsupported with the hands behind the head
    int fast_episodes { 0 };        // truth contact speed above too_fast_cm_s for at least too_fast_lasts_seconds
    int fast_warned { 0 };          // too_fast from 0.5 s before such an episode to 1 s after it
    int fast_warnings_false { 0 };  // too_fast with no such episode nearby
    int hips_episodes { 0 };        // truth buttocks below hips_down_cm for at least hips_lasts_seconds
    int hips_warned { 0 };          // hips_down during such an episode or within 1 s after it
    int hips_warnings_false { 0 };  // hips_down with no such episode nearby
};

struct FootageReport {
    std::vector<ClipScore> clips;
    double contact_median_error_cm { 0 };
    double contact_p90_error_cm { 0 };
    int lumbar_episodes { 0 };
    int lumbar_detected { 0 };
    int lumbar_warned_late { 0 };  // warned during the drift, but later than the target
    double lumbar_recall { 0 };
    double lumbar_precision { 1 };
    double lumbar_median_latency_s { 0 };
    int false_lumbar_or_neck_warnings { 0 };   // warnings with no lumbar/neck contact nearby
    int clean_clips { 0 };
    int clean_clips_without_false_warning { 0 };
    int hands_off_episodes { 0 };
    int hands_off_warned { 0 };
    int head_warnings_false { 0 };
    int fast_episodes { 0 };
    int fast_warned { 0 };
    int fast_warnings_false { 0 };
    int hips_episodes { 0 };
    int hips_warned { 0 };
    int hips_warnings_false { 0 };
    double recognition_rate { 0 };
    bool recognition_measured { true };  // a replay has no recogniser run beside it

    std::string summary() const;
};

struct RecognitionScore {
    std::string name;
    std::string exercise;           // the truth's meta.exercise
    int frames { 0 };
    int recognised { 0 };           // frames whose posture is the exercise's (no exercise given)
    std::string most_common_wrong;  // the posture most often reported instead ("" if none)
    double share() const { return frames ? static_cast<double>(recognised) / frames : 0; }
};

// Posture recognition on every NAME.truth.json in `dir` with its NAME.<model>.jsonl, whatever
// the exercise (meta.exercise): the analyser is given no exercise and must tell it from the body.
std::vector<RecognitionScore> evaluate_recognition(std::filesystem::path const& dir, std::string const& model);

// Whether the roller sightings (NAME.roller.jsonl, from tools/footage/roller_sightings.mjs) are
// merged into the frames where a clip has them, and on which frames:
// - Used: every frame;
// - Page: as the page looks for the roller now (web/src/camera/roller-sighter.ts): a frame at
//   least roller_look_interval_s (motion.toml) after the last one it looked at, and every frame while the analyser
//   says it is learning the roller's start (FrameAnalysis::roller_start_learning, as the previous
//   frame's answer). At the renders' 12.5 frames/s that is every second frame; at the 5-8 a page
//   manages on 2 cores (`frame_rate`), every frame;
// - PageEveryThird: as the page looked until 2026-12-02 (the eighth round): every third frame, and
//   every frame while learning;
// - Third: every third frame only, as the page looked before it followed roller_start_learning.
// The page modes thin the every-frame sightings: the page's finder, guided by its own previous
// sighting rather than the previous frame's, may place a disc a little differently.
enum class RollerCue { Ignored, Used, Page, PageEveryThird, Third };

// Which frames keep their sighting under `cue` (above); under Ignored every frame keeps what it
// came with. Call keep() before pushing a frame with its time, after() with its analysis.
class SightingCadence {
public:
    SightingCadence(RollerCue cue, double look_interval_s) : m_cue(cue), m_look(look_interval_s) { }
    bool keep(double t)
    {
        switch (m_cue) {
        case RollerCue::Used:
            return true;
        case RollerCue::Page:
            return m_look.look(t, m_learning);
        case RollerCue::PageEveryThird:
        case RollerCue::Third:
            return m_count++ % (m_learning && m_cue == RollerCue::PageEveryThird ? 1 : 3) == 0;
        case RollerCue::Ignored:
            return true;  // nothing merged: a frame keeps what it came with (a replay's page frames)
        }
        return false;
    }
    void after(bool start_learning) { m_learning = start_learning; }

private:
    RollerCue m_cue;
    RollerLookCadence m_look;
    bool m_learning { false };
    std::size_t m_count { 0 };
};

// Every NAME.truth.json in `dir` with its NAME.<model>.jsonl ("lite" or "full"; "page" in a
// replay folder: the frames the page sent, its own sightings inside them). The analyser gets the
// exercise (thoracic_roll) and, with `give_height`, the body height from the truth's meta, as an
// app that knew the user's height would; without it the analyser's default (170 cm), as the web
// app has it when the user leaves the height blank. With `frame_rate` (frames a second, 0 for
// every frame) only the frames a page managing that rate would send are analysed: the renders
// are at 12.5 frames/s, the page ran at 5-8 on 2 cores.
FootageReport evaluate_footage(std::filesystem::path const& dir, std::string const& model, kb::MotionThresholds const& thresholds = {},
    RollerCue roller = RollerCue::Ignored, bool give_height = true, double frame_rate = 0);

// Every NAME.truth.json in `dir` with its NAME.replay.jsonl (tools/footage/replay_page.mjs): the
// clip played to the web app as deployed, scored on what the server told the page, with the same
// rules as evaluate_footage. Nothing is analysed here. Contact errors count on the clip's own
// frames only (a replay adds a held start and end).
FootageReport evaluate_replay(std::filesystem::path const& dir, kb::MotionThresholds const& thresholds = {});

// The ceiling of any analyser that does not know where the user started: a reader that sees the
// true contact on every rendered frame, exactly, but takes the still start to be
// thresholds.start_fraction (0.43) as the analyser must, so every reading is off by (0.43 - the
// clip's true start). Its warnings go through the same debounce and repeat as the analyser's and
// are scored with the same rules. What it gets wrong, nothing that reads the body's travel can
// get right; only a measured start could.
// start_error_share scales every clip's start error (a reader that measured the start that much
// better: 0 knows it, 1 assumes it).
FootageReport evaluate_start_blind(std::filesystem::path const& dir, kb::MotionThresholds const& thresholds = {}, double start_error_share = 1.0);

}
