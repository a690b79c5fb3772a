#include "common/result.h"

namespace rc {

const char* to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid-argument";
    case ErrorCode::InvalidData: return "invalid-data";
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::Io: return "io";
    case ErrorCode::Storage: return "storage";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

std::string Error::full_message() const
{
    std::string out = message;
    for (auto const& detail : details) {
        out += '\n';
        out += detail;
    }
    return out;
}

}
