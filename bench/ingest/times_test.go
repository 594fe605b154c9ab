package ingest

import (
	"strings"
	"testing"
)

// TestEpochUnitsByMagnitude: a time logged as an epoch number is read in
// the unit its magnitude says, whatever member or format holds it: a
// microsecond epoch (ClickHouse DateTime64(6), time_ns()//1000) is no
// millisecond one, which put it in the year 57,000; a nanosecond epoch
// written where seconds are expected, or milliseconds where OTLP's
// startTimeUnixNano expects nanoseconds, is read as what it is.
func TestEpochUnitsByMagnitude(t *testing.T) {
	const want = "2025-11-22T08:00:00Z"
	for _, tc := range []struct{ name, value string }{
		{"seconds", `1763798400`},
		{"seconds with a fraction (LiteLLM's startTime)", `1763798400.5`},
		{"milliseconds", `1763798400500`},
		{"microseconds", `1763798400500000`},
		{"nanoseconds", `1763798400500000000`},
		{"milliseconds as a string", `"1763798400500"`},
		{"microseconds as a string", `"1763798400500000"`},
		{"nanoseconds as a string", `"1763798400500000000"`},
		{"seconds in exponent form", `1.7637984005e9`},
	} {
		for _, member := range []string{"startTime", "start_time", "timestamp", "created_at"} {
			line := `{"request_id":"r1",` + `"` + member + `":` + tc.value + `,"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}`
			c := readBytes(t, "requests.jsonl", []byte(line+"\n"), Options{})
			if len(c.recs) != 1 {
				t.Fatalf("%s in %s: %d records, skips:\n%s", tc.name, member, len(c.recs), skipText(c))
			}
			if got := c.recs[0].Source; got.Time != want || got.Captured != want[:10] {
				t.Errorf("%s in %s: time %q captured %q, want %s", tc.name, member, got.Time, got.Captured, want)
			}
		}
	}
	// Not times: a compact date, zero, a negative number. The time is
	// left out rather than set in 1970.
	for _, v := range []string{`20251122`, `0`, `-1763798400`} {
		c := readBytes(t, "requests.jsonl", []byte(`{"startTime":`+v+`,"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}`+"\n"), Options{})
		if len(c.recs) != 1 || c.recs[0].Source.Time != "" {
			t.Errorf("%s: %+v %s", v, c.recs, skipText(c))
		}
	}
	// A time written as text stays as it came.
	c := readBytes(t, "requests.jsonl", []byte(`{"startTime":"2025-05-30T03:17:06.703+00:00","model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}`+"\n"), Options{})
	if len(c.recs) != 1 || c.recs[0].Source.Time != "2025-05-30T03:17:06.703+00:00" {
		t.Errorf("text time: %+v", c.recs)
	}
}

// TestOTelStartTimeUnits: OTLP's startTimeUnixNano is nanoseconds
// (opentelemetry-proto, trace.proto: "UNIX Epoch time in nanoseconds");
// an exporter that wrote microseconds or milliseconds under that name was
// read as a time in 1970.
func TestOTelStartTimeUnits(t *testing.T) {
	msgs := attr("gen_ai.input.messages", str(`[{"role":"user","parts":[{"type":"text","content":"hi"}]}]`))
	for _, v := range []string{"1763798400000000000", "1763798400000000", "1763798400000", "1763798400"} {
		span := strings.Replace(chatSpan(","+msgs, "[]"), `"startTimeUnixNano":"1763800000000000000"`, `"startTimeUnixNano":"`+v+`"`, 1)
		c := readBytes(t, "spans.json", otlp(span), Options{})
		if len(c.recs) != 1 || c.recs[0].Source.Time != "2025-11-22T08:00:00Z" {
			t.Errorf("startTimeUnixNano %s: %+v %s", v, c.recs, skipText(c))
		}
	}
}
