// Helpers shared by the session tests: a plan from the test knowledge base and cue filters.
#pragma once

#include "plan/plan.h"
#include "session/session_machine.h"
#include "test_knowledge.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace rc::test {

inline plan::Plan default_plan(kb::KnowledgeBase const& kb)
{
    auto plan = plan::make_plan(kb, plan::Profile {}, kb::Verdict {}, plan::History {});
    EXPECT_TRUE(plan.has_value());
    return *plan;
}

inline session::SessionMachine make_machine(kb::KnowledgeBase const& kb, plan::Plan const& plan)
{
    auto machine = session::SessionMachine::create(kb, plan);
    EXPECT_TRUE(machine.has_value()) << (machine ? "" : machine.error().message);
    return std::move(machine).value();
}

inline std::vector<session::Cue> of_kind(std::vector<session::Cue> const& cues, session::CueKind kind)
{
    std::vector<session::Cue> out;
    std::copy_if(cues.begin(), cues.end(), std::back_inserter(out), [&](auto const& c) { return c.kind == kind; });
    return out;
}

inline void append(std::vector<session::Cue>& to, std::vector<session::Cue> const& more) { to.insert(to.end(), more.begin(), more.end()); }

// Runs the machine to its end from `now`, stepping from due time to due time.
inline std::vector<session::Cue> run_to_end(session::SessionMachine& machine, MonoTime& now)
{
    std::vector<session::Cue> cues;
    while (auto due = machine.next_due()) {
        now = std::max(now, *due);
        append(cues, machine.advance(now));
    }
    return cues;
}

}
