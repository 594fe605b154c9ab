package main

import (
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// schemeCheck tells an endpoint whose scheme does not match what it
// speaks: https:// at a plain-HTTP server, http:// at a TLS one, or
// https:// at a loopback server whose certificate converse cannot trust
// (it reads no CA bundle for a loopback endpoint). None of these
// succeeds on a retry.
type schemeCheck struct {
	endpoint  string
	once      sync.Once
	speaksTLS bool
}

// probeTLS is how long the TLS probe of an http:// endpoint waits.
const probeTLS = 2 * time.Second

// mismatch is the one line that names the fix for err, or "" when err is
// not a scheme mismatch.
func (s *schemeCheck) mismatch(err error) string {
	if s == nil || s.endpoint == "" || err == nil {
		return ""
	}
	u, perr := url.Parse(s.endpoint)
	if perr != nil {
		return ""
	}
	var unknownCA x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	switch {
	case u.Scheme == "https" && strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "the endpoint speaks plain HTTP: use http://" + u.Host
	case u.Scheme == "https" && replay.IsLoopback(s.endpoint) && (errors.As(err, &unknownCA) || errors.As(err, &verify)):
		return "converse reads no CA bundle for a loopback endpoint, so it cannot trust the certificate of an emulator started with --tls: " +
			"a --tls emulator is for the clients under test (the AWS CLI, boto3, the SDKs, which read the banner's AWS_CA_BUNDLE); " +
			"for converse, start the emulator without --tls and use http://" + u.Host
	case u.Scheme == "http" && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
		s.once.Do(func() { s.speaksTLS = speaksTLS(net.JoinHostPort(u.Hostname(), cmp.Or(u.Port(), "80"))) })
		if s.speaksTLS {
			return "the endpoint speaks TLS: use https://" + u.Host
		}
	}
	return ""
}

// speaksTLS reports whether host completes a TLS handshake (whatever its
// certificate).
func speaksTLS(host string) bool {
	d := &net.Dialer{Timeout: probeTLS}
	conn, err := tls.DialWithDialer(d, "tcp", host, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// noRetry keeps the SDK from retrying a call whose failure is a scheme
// mismatch.
func (s *schemeCheck) noRetry(o *bedrockruntime.Options) {
	if v2, ok := o.Retryer.(aws.RetryerV2); ok {
		o.Retryer = schemeRetryer{v2, s}
	}
}

type schemeRetryer struct {
	aws.RetryerV2
	check *schemeCheck
}

func (r schemeRetryer) IsErrorRetryable(err error) bool {
	if r.check.mismatch(err) != "" {
		return false
	}
	return r.RetryerV2.IsErrorRetryable(err)
}
