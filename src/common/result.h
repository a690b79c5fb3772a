// Result<T>: the one error convention of rollcoach's libraries.
//
// Fallible work returns Result<T>, which holds either a value or an Error whose message a user
// can act on (what went wrong, where, and how to fix it). GCC 12 has no std::expected and
// Debian bookworm packages no tl::expected, so this is a small subset of that interface:
// has_value(), operator bool, value(), error(), operator*, operator->, value_or().
//
//   Result<Plan> plan = make_plan(profile, verdict, history);
//   if (!plan) return plan.error();          // an Error converts to any failed Result
//   use(*plan);
//
// TRY(expr) (SerenityOS's idiom) does the same in one line inside a function that returns a
// Result: it returns early with the error, otherwise it yields the value:
//
//   Plan plan = TRY(make_plan(profile, verdict, history));
//   TRY(journal.save(plan));                 // Result<void>: nothing to yield
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rc {

enum class ErrorCode {
    InvalidArgument,   // the caller (usually: the user) gave something malformed
    InvalidData,       // a data file (knowledge base, answers, landmarks) failed validation
    NotFound,          // a named thing does not exist
    Io,                // the file system refused
    Storage,           // the journal's database refused
    Conflict,          // a state that forbids the operation (a newer schema, a blocked session)
    Unsupported,       // a valid request this build cannot serve
    Internal,          // a bug: reported, never crashed on
};

const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code { ErrorCode::Internal };
    std::string message;

    // Several problems found in one pass (a knowledge base with three typos reports all three).
    std::vector<std::string> details {};

    static Error invalid_argument(std::string message) { return { ErrorCode::InvalidArgument, std::move(message) }; }
    static Error invalid_data(std::string message) { return { ErrorCode::InvalidData, std::move(message) }; }
    static Error not_found(std::string message) { return { ErrorCode::NotFound, std::move(message) }; }
    static Error io(std::string message) { return { ErrorCode::Io, std::move(message) }; }
    static Error storage(std::string message) { return { ErrorCode::Storage, std::move(message) }; }
    static Error conflict(std::string message) { return { ErrorCode::Conflict, std::move(message) }; }
    static Error internal(std::string message) { return { ErrorCode::Internal, std::move(message) }; }

    // The message followed by each detail on its own line.
    std::string full_message() const;

    bool operator==(Error const&) const = default;
};

template<typename T>
class [[nodiscard]] Result {
public:
    using value_type = T;

    Result(T value) : m_storage(std::in_place_index<0>, std::move(value)) { }
    Result(Error error) : m_storage(std::in_place_index<1>, std::move(error)) { }

    bool has_value() const { return m_storage.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(m_storage); }
    T const& value() const& { assert(has_value()); return std::get<0>(m_storage); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(m_storage)); }

    Error const& error() const& { assert(!has_value()); return std::get<1>(m_storage); }
    Error&& error() && { assert(!has_value()); return std::get<1>(std::move(m_storage)); }

    T& operator*() & { return value(); }
    T const& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    T const* operator->() const { return &value(); }

    template<typename U>
    T value_or(U&& fallback) const& { return has_value() ? value() : static_cast<T>(std::forward<U>(fallback)); }

private:
    std::variant<T, Error> m_storage;
};

// Result<void>: success carries nothing.
template<>
class [[nodiscard]] Result<void> {
public:
    using value_type = void;

    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) { }

    bool has_value() const { return !m_failed; }
    explicit operator bool() const { return has_value(); }
    void value() const { assert(has_value()); }
    Error const& error() const { assert(!has_value()); return m_error; }

private:
    Error m_error {};
    bool m_failed { false };
};

namespace detail {

template<typename T>
Error take_error(Result<T>&& result) { return std::move(result).error(); }
inline Error take_error(Result<void>&& result) { return result.error(); }

}

}

// A GNU statement expression (GCC and Clang): the only way for a macro to both return from the
// enclosing function and yield a value. __extension__ keeps -Wpedantic quiet about it.
#define TRY(expression)                                                      \
    __extension__({                                                          \
        auto&& rc_try_result_ = (expression);                                \
        if (!rc_try_result_)                                                 \
            return ::rc::detail::take_error(std::move(rc_try_result_));      \
        std::move(rc_try_result_).value();                                   \
    })
