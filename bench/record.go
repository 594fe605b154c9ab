package bench

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/bedrock-bench/bedrock-bench/bench/explain"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
	"github.com/bedrock-bench/bedrock-bench/internal/confine"
)

// CaseReport is what recording or replaying one case produced.
type CaseReport struct {
	Case   Case
	Result Result
	// Problems are Check's findings.
	Problems []string
	// Drift lists how a new recording's answers differ from the old ones.
	Drift []replay.Drift
	// Skipped: record-missing found the cassette already there.
	Skipped bool
	// Saved: a new cassette was written.
	Saved bool
	// Err is why the case could not run or its cassette was not saved.
	Err error
	// Warnings are worth a look but do not fail the case.
	Warnings []string
	// Unplayed counts the recorded interactions a replay left unused: the
	// cassette is stale (one of the Problems says so).
	Unplayed int
}

// OK reports whether the case ran and passed.
func (r CaseReport) OK() bool { return r.Err == nil && len(r.Problems) == 0 }

// RunOptions configure RunCases.
type RunOptions struct {
	// Mode is replay.Replay, Record or RecordMissing.
	Mode replay.Mode
	// Cassettes is the cassette root directory.
	Cassettes string
	// Session configures recording sessions (credentials, endpoint).
	Session replay.Options
	// Concurrency bounds the cases in flight; 0 means 4.
	Concurrency int
	// Progress, when set, is called after each case, in completion order.
	Progress func(done, total int, r CaseReport)
	// Rerecord words the command that re-records a case, for miss errors.
	Rerecord func(Case) string
	// Converter, when set, converts histories instead of the built-in
	// normalizer.
	Converter Converter
	// CaseTimeout, when positive, bounds each case a recording makes: a
	// service that stops answering fails the case, whose cassette stays
	// as it was, instead of holding the run forever. Replay is local and
	// never waits, so it is not bounded.
	CaseTimeout time.Duration
}

// RunCases runs every case, replaying or recording its cassette, with
// bounded concurrency. Cancelling ctx stops it: cases in flight are
// abandoned without touching their cassettes, and cases not started are
// reported with ctx's error. A recording the service refuses for its
// credentials (ErrCredentials) stops it too: every later call would be
// refused the same way, so cases not started are reported with
// ErrNotTried, their cassettes untouched.
func RunCases(ctx context.Context, cases []Case, opts RunOptions) []CaseReport {
	n := opts.Concurrency
	if n <= 0 {
		n = 4
	}
	reports := make([]CaseReport, len(cases))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	var refused atomic.Bool
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				var r CaseReport
				if refused.Load() {
					r = CaseReport{Case: cases[i], Err: ErrNotTried}
				} else if ctx.Err() != nil {
					r = CaseReport{Case: cases[i], Err: notStarted(ctx)}
				} else if r = RunCase(ctx, cases[i], opts); errors.Is(r.Err, ErrCredentials) {
					refused.Store(true)
				}
				mu.Lock()
				reports[i] = r
				done++
				if opts.Progress != nil {
					opts.Progress(done, len(cases), r)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range cases {
		if ctx.Err() != nil {
			reports[i] = CaseReport{Case: cases[i], Err: notStarted(ctx)}
			continue
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			reports[i] = CaseReport{Case: cases[i], Err: notStarted(ctx)}
		}
	}
	close(jobs)
	wg.Wait()
	return reports
}

// RunCase runs one case. A recording is saved only when every call got an
// answer from the service that is not a transient failure (throttling or
// a server error) nor a refusal of the credentials (an expired session, a
// bad signature: ErrCredentials), and ctx was not cancelled; otherwise the
// old cassette stays as it was.
func RunCase(ctx context.Context, c Case, opts RunOptions) CaseReport {
	rep := CaseReport{Case: c}
	so := opts.Session
	so.Name = c.History.ID
	if opts.Rerecord != nil {
		so.Rerecord = opts.Rerecord(c)
	}
	path := c.Cassette(opts.Cassettes)
	if opts.Mode != replay.Replay {
		// Checked before any call: the save would fail after them.
		if why := tooLong(c.History.ID); why != "" {
			rep.Err = fmt.Errorf("not recorded: history %s: %s; rename the history", c.History.ID, why)
			return rep
		}
		// A recording writes the cassette, and removes the temporary
		// files a killed one left beside it: only inside the root.
		if err := confine.Dir(opts.Cassettes, path); err != nil {
			rep.Err = fmt.Errorf("not recorded: %w", err)
			return rep
		}
	}
	if opts.Mode == replay.Replay && targetOnEmulator(filepath.Join(opts.Cassettes, c.Target.Name), path) {
		// No cassette: it is recorded where the target's others were.
		so.Rerecord = replay.OnEmulator(so.Rerecord)
	}
	s, err := replay.Open(path, opts.Mode, so)
	if err != nil {
		// Replay, or record-missing finding the cassette there: it did
		// not load.
		if !errors.Is(err, replay.ErrNoCassette) && opts.Mode != replay.Record {
			rerecord := so.Rerecord
			if fileOnEmulator(path, replay.MaxCassetteBytes) {
				rerecord = replay.OnEmulator(rerecord)
			}
			err = corrupt(path, err, rerecord)
		}
		rep.Err = err
		return rep
	}
	if opts.Mode == replay.RecordMissing && s.Mode() == replay.Replay {
		rep.Skipped = true
		return rep
	}
	if s.Mode() == replay.Replay {
		if err := checkCassette(s.Cassette()); err != nil {
			rep.Err = corrupt(path, err, s.Rerecord())
			return rep
		}
		if r := recordedRegion(s.Cassette()); r != "" && r != c.Target.Region {
			rep.Err = fmt.Errorf("%s was %w (%s): target %s now calls %s, where the service may answer otherwise (a model not offered, another route); re-record with %s",
				path, ErrOtherRegion, r, c.Target.Name, c.Target.Region, s.Rerecord())
			return rep
		}
	}
	if s.Mode() == replay.Record {
		if w := replay.UnredactedWarning(c.History.ID, c.History.Source.Redacted); w != "" {
			rep.Warnings = append(rep.Warnings, w)
		}
	}
	parent := ctx
	if s.Mode() == replay.Record && opts.CaseTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.CaseTimeout)
		defer cancel()
	}
	res, err := RunWith(ctx, c, s.Client(c.Target.Region), opts.Converter)
	rep.Result = res
	if err == nil && parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("not saved: no answer within %s; the cassette was left as it was (allow longer with --timeout)", opts.CaseTimeout)
	}
	if err != nil {
		s.Abort()
		rep.Err = err
		return rep
	}
	rep.Problems = Check(c, res)
	if s.Mode() == replay.Replay {
		if rep.Unplayed = s.Unplayed(); rep.Unplayed > 0 {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %s is stale; re-record with %s", replay.UnplayedText(rep.Unplayed), path, s.Rerecord()))
		}
		return rep
	}
	if err := unsaveable(ctx, res); err != nil {
		s.Abort()
		rep.Err = err
		return rep
	}
	if err := s.Close(); err != nil {
		rep.Err = err
		return rep
	}
	rep.Saved = true
	rep.Drift = replay.CompareRecordings(s.Previous(), s.Cassette())
	return rep
}

// targetOnEmulator reports whether dir, a target's cassette folder
// where the cassette at missing is not, holds another cassette, and the
// first one found was recorded against the bundled emulator.
func targetOnEmulator(dir, missing string) bool {
	if _, err := os.Stat(missing); err == nil {
		return false
	}
	found := false
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") || !d.Type().IsRegular() {
			return nil
		}
		found = fileOnEmulator(p, 1<<20)
		return filepath.SkipAll
	})
	return found
}

// fileOnEmulator reports whether the first limit bytes of the regular
// file at path, a cassette whole or not, hold an answer of the bundled
// emulator. Anything else (a FIFO, which a read would block on) is not.
func fileOnEmulator(path string, limit int64) bool {
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return false
	}
	data, err := readBounded(path, limit)
	return err == nil && strings.Contains(string(data), replay.EmulatorHeader+":")
}

// ErrCorrupt marks a cassette that does not parse or was cut short.
var ErrCorrupt = errors.New("corrupt or truncated cassette")

func corrupt(path string, err error, rerecord string) error {
	if rerecord == "" {
		rerecord = "bedrock-bench record"
	}
	// A *replay.CorruptError names the file and the place in it, and
	// gives general advice this one replaces.
	at := path + ": " + err.Error()
	var ce *replay.CorruptError
	if errors.As(err, &ce) {
		at = ce.Located()
	}
	return fmt.Errorf("%w %s; restore it (git checkout -- %s) or re-record with %s", ErrCorrupt, at, path, rerecord)
}

// ErrOtherRegion marks a cassette recorded in another Region than its
// target's: replay matches requests on their path and body, which do not
// name the Region, so without this check a target moved to a Region that
// does not offer its model would still replay the old Region's answers.
var ErrOtherRegion = errors.New("recorded in another Region than its target's")

// recordedRegion is the Region of the first interaction of c whose URL
// is a Region's public endpoint, as recording writes it
// (https://bedrock-runtime.REGION.amazonaws.com/...), or "". A host on
// another domain that happens to start "bedrock-runtime." (a company's
// gateway) names no Region.
func recordedRegion(c *cassette.Cassette) string {
	for _, in := range c.Interactions {
		u, err := url.Parse(in.Request.URL)
		if err != nil || !replay.IsAWS(in.Request.URL) {
			continue
		}
		if rest, ok := strings.CutPrefix(u.Hostname(), "bedrock-runtime."); ok {
			if region, _, ok := strings.Cut(rest, "."); ok && region != "" {
				return region
			}
		}
	}
	return ""
}

// checkCassette finds the marks of a cut or damaged cassette: an
// interaction without a method, URL or status code (a file truncated
// mid-interaction parses, but loses what follows the cut).
func checkCassette(c *cassette.Cassette) error {
	if len(c.Interactions) == 0 {
		return errors.New("it holds no interactions")
	}
	for i, in := range c.Interactions {
		switch {
		case in.Request.Method == "" || in.Request.URL == "":
			return fmt.Errorf("interaction %d has no request method or URL", i)
		case in.Response.Code == 0:
			return fmt.Errorf("interaction %d has no response status code", i)
		}
	}
	return nil
}

// unsaveable says why a recording must not replace a cassette.
func unsaveable(ctx context.Context, r Result) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("interrupted: %w", err)
	}
	for _, o := range []*Outcome{&r.Normalized, &r.Raw, r.Stream} {
		switch {
		case o == nil:
		case o.Err != nil:
			return fmt.Errorf("not saved: %w", o.Err)
		case transient[o.ErrorType]:
			return fmt.Errorf("not saved: the service answered %s: %s; record again later", o.ErrorType, o.Message)
		case explain.ParseUnknownRegion(o.Message) != nil:
			// The bundled emulator, reached through its URL, answers a
			// Region outside its catalog with UnrecognizedClientException
			// (as a Region not enabled is answered); the credentials are
			// not what is wrong, so the run goes on with other targets.
			u := explain.ParseUnknownRegion(o.Message)
			return fmt.Errorf("not saved: the endpoint serves no Region %s (%s); the cassette was left as it was: %s", u.Region, o.Message, u.Fix())
		case refusedCredentials[o.ErrorType]:
			return fmt.Errorf("%w: the service answered %s: %s; the cassette was left as it was: refresh the credentials (e.g. aws sso login) and record again",
				ErrCredentials, o.ErrorType, o.Message)
		}
	}
	return nil
}

// ErrCredentials marks a recording the service refused for its
// credentials or signature, not for its request.
var ErrCredentials = errors.New("not saved: the credentials were refused")

// ErrNotStarted marks a case RunCases did not start because ctx was
// cancelled first (Ctrl-C); the error also wraps ctx's.
var ErrNotStarted = errors.New("not started: the run was interrupted")

func notStarted(ctx context.Context) error { return fmt.Errorf("%w: %w", ErrNotStarted, ctx.Err()) }

// ErrNotTried marks a case RunCases did not start because the service had
// refused the credentials of an earlier one (ErrCredentials).
var ErrNotTried = errors.New("not tried: the service refused the credentials of an earlier case; its cassette was left as it was")

// refusedCredentials are the answers about the caller's credentials or
// signature, not about the request: an expired session or token, an
// unknown access key, a bad signature or a skewed clock. The list joins
// the AWS SDK for Go's expired-credential codes (ExpiredToken,
// ExpiredTokenException, RequestExpired), the signature and clock-skew
// codes aws-sdk-go-v2's retryer checks (aws/retry clockSkewCodes), and
// the common authentication errors of the Bedrock troubleshooting page
// (https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html).
// AccessDeniedException is left out: on a model it is an answer about the
// request (the policy does not allow it), worth keeping in a cassette.
var refusedCredentials = map[string]bool{
	"ExpiredTokenException": true, "ExpiredToken": true, "RequestExpired": true,
	"UnrecognizedClientException": true, "InvalidClientTokenId": true,
	"MissingAuthenticationToken": true, "MissingAuthenticationTokenException": true,
	"IncompleteSignature": true, "IncompleteSignatureException": true,
	"InvalidSignatureException": true, "SignatureDoesNotMatch": true,
	"AuthFailure": true, "RequestTimeTooSkewed": true,
}

// transient errors are not an answer worth keeping.
var transient = map[string]bool{
	"ThrottlingException": true, "ServiceUnavailableException": true, "InternalServerException": true,
	"ModelNotReadyException": true, "ModelTimeoutException": true,
	"throttlingException": true, "serviceUnavailableException": true, "internalServerException": true,
}
