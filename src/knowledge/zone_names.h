// A zone's name in plain words. The knowledge base names a zone "Upper and mid back (thoracic
// spine)": what a person is shown is the part before the brackets ("Upper and mid back"); the
// anatomical part belongs where the knowledge is explained (`rollcoach explain`, the web's
// "Why?") and in the therapist's report. The web app does not apply the rule itself: every zone the
// server sends carries its plain name (coach::zone_json's "plain_name").
#pragma once

#include "knowledge/model.h"

#include <string_view>

namespace rc::kb {

// The name without a trailing "(...)"; the whole name when that would leave nothing.
std::string_view plain_name(std::string_view name);
std::string_view plain_name(Zone const& zone);

}
