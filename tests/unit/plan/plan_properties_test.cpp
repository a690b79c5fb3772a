// Properties of make_plan over random profiles, verdicts and knowledge bases whose zones are
// randomly turned into no-go zones.
#include "plan/plan.h"
#include "test_knowledge.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

using namespace rc;
using namespace rc::plan;

namespace {

Profile random_profile()
{
    Profile p;
    p.experience = *::rc::gen::element(Experience::FirstTime, Experience::Some, Experience::Regular);
    p.sensitivity = *::rc::gen::element(Sensitivity::Normal, Sensitivity::High);
    p.minutes_available = std::chrono::minutes { *::rc::gen::inRange(1, 30) };
    p.focus = *::rc::gen::container<std::vector<Focus>>(::rc::gen::element(Focus::MidBack, Focus::LatsAndShoulders,
        Focus::GlutesAndHips, Focus::HipFlexors));
    p.rollers_owned = *::rc::gen::container<std::vector<std::string>>(
        ::rc::gen::element<std::string>("soft_foam", "standard", "trigger_point", "peanut", "spiked"));
    return p;
}

}

RC_GTEST_PROP(PlanProperties, NoPlanContainsANoGoOrExcludedZone, ())
{
    auto kb = test::make_test_knowledge();
    for (auto& zone : kb.zones)
        if (*::rc::gen::inRange(0, 4) == 0)
            zone.status = kb::ZoneStatus::NoGo;
    kb::Verdict verdict;
    verdict.tier = *::rc::gen::element(kb::Tier::Proceed, kb::Tier::ProceedWithChanges);
    verdict.changes.excluded_zones = *::rc::gen::container<std::vector<std::string>>(
        ::rc::gen::element<std::string>("thoracic_spine", "glutes", "latissimus_dorsi", "hip_flexors", "erector_spinae"));
    verdict.changes.soft_roller_only = *::rc::gen::arbitrary<bool>();
    auto const plan = make_plan(kb, random_profile(), verdict, History {});
    if (!plan)
        return;   // refusing is always allowed
    for (auto const& step : plan->steps) {
        for (auto const& zone_id : step.target_zones) {
            auto it = std::find_if(kb.zones.begin(), kb.zones.end(), [&](auto const& z) { return z.id == zone_id; });
            RC_ASSERT(it != kb.zones.end());
            RC_ASSERT(it->status != kb::ZoneStatus::NoGo);
            RC_ASSERT(std::find(verdict.changes.excluded_zones.begin(), verdict.changes.excluded_zones.end(), zone_id)
                == verdict.changes.excluded_zones.end());
        }
    }
}

RC_GTEST_PROP(PlanProperties, APlanAlwaysFitsTheTimeAvailable, ())
{
    auto const kb = test::make_test_knowledge();
    auto const profile = random_profile();
    auto const plan = make_plan(kb, profile, kb::Verdict {}, History {});
    if (plan)
        RC_ASSERT(plan->total() <= std::chrono::duration_cast<Seconds>(profile.minutes_available));
}

RC_GTEST_PROP(PlanProperties, FirstTimersAndSensitiveBacksNeverGetAVeryFirmRoller, ())
{
    auto const kb = test::make_test_knowledge();
    auto profile = random_profile();
    if (*::rc::gen::arbitrary<bool>())
        profile.experience = Experience::FirstTime;
    else
        profile.sensitivity = Sensitivity::High;
    auto const plan = make_plan(kb, profile, kb::Verdict {}, History {});
    if (!plan)
        return;
    for (auto const& step : plan->steps) {
        if (step.tool_id.empty())
            continue;
        auto it = std::find_if(kb.tools.begin(), kb.tools.end(), [&](auto const& t) { return t.id == step.tool_id; });
        RC_ASSERT(it != kb.tools.end());
        RC_ASSERT(it->firmness != kb::Firmness::VeryFirm);
    }
}

RC_GTEST_PROP(PlanProperties, AStopTierVerdictIsAlwaysRefused, ())
{
    auto const kb = test::make_test_knowledge();
    kb::Verdict verdict;
    verdict.tier = *::rc::gen::element(kb::Tier::ClinicianBeforeRolling, kb::Tier::ClinicianSoon, kb::Tier::ClinicianToday,
        kb::Tier::Emergency);
    RC_ASSERT(!make_plan(kb, random_profile(), verdict, History {}).has_value());
}
