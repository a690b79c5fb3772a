#include "coach/history_lines.h"

#include <gtest/gtest.h>

using namespace rc;
using nlohmann::json;

TEST(HistoryLines, ASessionSaysHowLongHowItEndedWhereAndThePainBeforeAndAfter)
{
    journal::HistoryEntry entry { journal::EntryKind::Session, 4, {}, {},
        { { "seconds", 600 }, { "end_reason", "completed" }, { "zones", "glutes, thoracic_spine" }, { "pain_before", 5 },
            { "pain_after", 3 } } };
    EXPECT_EQ(coach::summary_line(entry), "session 10 min, completed (glutes, thoracic_spine), pain 5 -> 3");
    entry.detail = { { "seconds", 42 }, { "end_reason", "stopped_warning" }, { "zones", "" }, { "pain_before", nullptr }, { "pain_after", 7 } };
    EXPECT_EQ(coach::summary_line(entry), "session 42 s, stopped for a warning sign, pain after 7");
}

TEST(HistoryLines, EveryOtherKindHasItsOwnLine)
{
    using journal::EntryKind;
    EXPECT_EQ(coach::summary_line({ EntryKind::Pain, 1, {}, {}, { { "value", 4 }, { "moment", "before" }, { "session_id", 3 }, { "note", "" } } }),
        "pain 4/10 (before session 3)");
    EXPECT_EQ(coach::summary_line({ EntryKind::Pain, 1, {}, {}, { { "value", 2 }, { "moment", "standalone" }, { "note", "stiff" } } }),
        "pain 2/10: stiff");
    EXPECT_EQ(coach::summary_line({ EntryKind::CheckIn, 1, {}, {}, { { "soreness", 6 }, { "warning_sign", true } } }),
        "next-day check-in: soreness 6/10, warning sign");
    EXPECT_EQ(coach::summary_line({ EntryKind::Note, 1, {}, {}, { { "text", "felt looser" } } }), "note: felt looser");
    EXPECT_EQ(coach::summary_line({ EntryKind::Screening, 1, {}, {}, { { "tier", "proceed" } } }), "screening: proceed");
    EXPECT_EQ(coach::summary_line({ EntryKind::Clearance, 1, {}, {}, { { "note", "" } } }), "cleared by a clinician");
}
