// Units in types where confusion is possible: lengths along the back, angles of the torso.
#pragma once

#include <compare>

namespace rc {

template<typename Tag>
struct Quantity {
    double value { 0.0 };

    constexpr Quantity() = default;
    constexpr explicit Quantity(double v) : value(v) { }

    constexpr auto operator<=>(Quantity const&) const = default;
    constexpr Quantity operator+(Quantity other) const { return Quantity { value + other.value }; }
    constexpr Quantity operator-(Quantity other) const { return Quantity { value - other.value }; }
    constexpr Quantity operator*(double k) const { return Quantity { value * k }; }
    constexpr Quantity operator/(double k) const { return Quantity { value / k }; }
    constexpr Quantity operator-() const { return Quantity { -value }; }
    constexpr Quantity& operator+=(Quantity other) { value += other.value; return *this; }
    constexpr Quantity& operator-=(Quantity other) { value -= other.value; return *this; }
};

struct CentimetresTag { };
struct DegreesTag { };
using Centimetres = Quantity<CentimetresTag>;
using Degrees = Quantity<DegreesTag>;

constexpr Centimetres operator""_cm(long double v) { return Centimetres { static_cast<double>(v) }; }
constexpr Centimetres operator""_cm(unsigned long long v) { return Centimetres { static_cast<double>(v) }; }
constexpr Degrees operator""_deg(long double v) { return Degrees { static_cast<double>(v) }; }
constexpr Degrees operator""_deg(unsigned long long v) { return Degrees { static_cast<double>(v) }; }

}
