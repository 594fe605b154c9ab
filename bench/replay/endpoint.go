package replay

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"
)

// ProbeTimeout bounds [Probe]'s wait for a connection.
const ProbeTimeout = 2 * time.Second

// CheckEndpoint reports why ep is not an endpoint URL (a scheme, http or
// https, a host and a port, nothing else), or nil. The error does not
// quote ep: the caller names its flag and the value.
func CheckEndpoint(ep string) error {
	u, err := url.Parse(ep)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want a URL such as http://127.0.0.1:8787 (the emulator's default address) or https://bedrock-runtime.us-east-1.amazonaws.com")
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		// User info too: a password in the URL would be repeated in
		// every message that names the endpoint.
		return errors.New("give the scheme, host and port only")
	}
	return nil
}

// Probe opens, and closes, one TCP connection to endpoint's host and
// port (80 or 443 by the scheme when the URL gives none), within
// [ProbeTimeout]: an error says nothing listens there. It is meant for
// an endpoint on the loopback interface ([IsLoopback]), where a refused
// connection means the emulator was not started, and every call of a
// run would otherwise fail on it, retried by the SDK, one by one.
func Probe(ctx context.Context, endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a URL", endpoint)
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	d := net.Dialer{Timeout: ProbeTimeout}
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return err
	}
	return c.Close()
}
