package ingest

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Epoch numbers in logs come in four units: seconds (LiteLLM's
// StandardLoggingPayload startTime, a Python time.time() float),
// milliseconds (JavaScript's Date.now(), CloudWatch's event timestamp),
// microseconds (ClickHouse DateTime64(6), Python's time_ns()//1000) and
// nanoseconds (OTLP's startTimeUnixNano). The unit is told by magnitude:
// a time between 1973 and 5138 is below 1e11 in seconds, and between
// 1e11 and 1e14 in milliseconds, 1e14 and 1e17 in microseconds, 1e17
// and above in nanoseconds, so no time of those years is read in two
// units. A number below 1e8 (a time before March 1973 in seconds, a
// compact date such as 20250101) is taken for no time.
const (
	epochMin    = 1e8
	epochMillis = 1e11
	epochMicros = 1e14
	epochNanos  = 1e17
)

// epochTime returns the time of a Unix epoch number, its unit told by
// magnitude; false for a number below epochMin, NaN or one past year
// 2262 in nanoseconds (the end of time.Time's nanosecond range).
func epochTime(f float64) (time.Time, bool) {
	if !(f >= epochMin) || math.IsInf(f, 0) || f >= math.MaxInt64 {
		return time.Time{}, false
	}
	var ns float64
	switch {
	case f < epochMillis:
		ns = f * 1e9
	case f < epochMicros:
		ns = f * 1e6
	case f < epochNanos:
		ns = f * 1e3
	default:
		ns = f
	}
	if ns >= math.MaxInt64 {
		return time.Time{}, false
	}
	return time.Unix(0, int64(ns)).UTC(), true
}

// epochInt is epochTime for an integer, read without the rounding of a
// float64 (a nanosecond epoch has 19 digits).
func epochInt(n int64) (time.Time, bool) {
	switch {
	case n < epochMin:
		return time.Time{}, false
	case n < epochMillis:
		return time.Unix(n, 0).UTC(), true
	case n < epochMicros:
		return time.UnixMilli(n).UTC(), true
	case n < epochNanos:
		return time.UnixMicro(n).UTC(), true
	}
	return time.Unix(0, n).UTC(), true
}

// epochText reads a time logged as the text of an epoch number (a JSON
// string of digits, as a log that stringifies its numbers writes it, or
// OTLP's startTimeUnixNano) and reports whether s is one.
func epochText(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s[0] < '0' || s[0] > '9' {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return epochInt(n)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, false
	}
	return epochTime(f)
}
