// Package provider talks to a Misskey server: it reads the live state of an
// account and applies planned changes. Everything that touches the network
// lives here; schema and planner stay pure.
package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mkctl/mkctl/internal/hosturl"
)

const (
	defaultUserAgent  = "mkctl/dev"
	defaultTimeout    = 30 * time.Second
	defaultMaxRetries = 3
	// maxRateLimitWaits bounds how often one call waits out a 429, so a
	// server that keeps answering 429 cannot hold mkctl forever.
	maxRateLimitWaits = 5
	// maxResponseBytes guards against a runaway answer; `i` with five
	// pinned notes is a few hundred KiB at most.
	maxResponseBytes = 32 << 20
	// DefaultMaxWait is the longest a call waits out 429s in total. Misskey's
	// longest windows are an hour, so 1h15m lets an hourly limit be waited
	// out, with room for a late reset, while a server asking for a day (or
	// for 292 years) makes mkctl fail at once instead.
	DefaultMaxWait = 75 * time.Minute
)

// Client calls the Misskey API of one instance with one token. It is safe
// for concurrent use: nothing in it changes after NewClient.
type Client struct {
	base      string // scheme://host[:port], no trailing slash
	host      string // host[:port], lower-cased
	token     string
	hc        *http.Client
	userAgent string
	notify    func(msg string)
	sleep     func(ctx context.Context, d time.Duration) error
	retries   int
	timeout   time.Duration
	maxWait   time.Duration // total 429 wait per call; 0: none
	logger    *slog.Logger  // nil: no logging
	pace      *pacer        // spaces minInterval endpoints; nil: off
	now       func() time.Time
	jitter    func(d time.Duration) time.Duration
	// beforeRateLimitWait, when set, runs before the client waits out a
	// 429: Apply saves the changes it has not recorded yet, because the
	// wait may last an hour and the user may give up on it.
	beforeRateLimitWait func(ctx context.Context)
	// sent, when set, is told of every attempt the server answered: Apply
	// keeps the times of rate-limited calls (rejected ones too, which
	// Misskey's limiter also counts) and what a 429's Retry-After says, for
	// the next plan's wait estimate.
	sent func(endpoint string, at time.Time, status int, header http.Header)
}

// NewClient makes a client for the instance at baseURL ("https://misskey.example").
// An empty token makes unauthenticated calls.
func NewClient(baseURL, token string, opts ...Option) (*Client, error) {
	base, host, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		// Checked here because net/http would only fail at the first call;
		// the message never repeats the token.
		return nil, errors.New("the token contains spaces or control characters; copy it again without surrounding whitespace")
	}
	c := &Client{
		base:      base,
		host:      host,
		token:     token,
		hc:        &http.Client{CheckRedirect: noRedirects, Transport: newTransport()},
		userAgent: defaultUserAgent,
		notify:    func(string) {},
		sleep:     sleepContext,
		retries:   defaultMaxRetries,
		timeout:   defaultTimeout,
		maxWait:   DefaultMaxWait,
		pace:      newPacer(),
		now:       time.Now,
		jitter:    equalJitter,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// newTransport is http.DefaultTransport keeping an idle connection for
// every request a read may have in flight. The default keeps 2 per host, so
// each burst of concurrent reads closed the extra connections and the next
// burst opened them again: a TLS handshake each on a real instance.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = maxConcurrentReads + maxPageChains
	return t
}

// Host is the instance's host (with port, if any), lower-cased: the host
// part of local users' "@user@host" form.
func (c *Client) Host() string { return c.host }

// BaseURL is the normalised base URL: scheme and host, no trailing slash.
func (c *Client) BaseURL() string { return c.base }

// parseBaseURL insists on https so the bearer token is never sent in clear
// text, except to loopback hosts (a local test server or SSH tunnel).
func parseBaseURL(raw string) (base, host string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", "", fmt.Errorf("invalid Misskey URL %q: want a base URL like https://misskey.example", raw)
	}
	if u.User != nil {
		return "", "", fmt.Errorf("invalid Misskey URL: it must not contain a user name or password")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("invalid Misskey URL %q: give only scheme and host (Misskey is always served at the root of its domain)", raw)
	}
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "https":
	case "http":
		if !hosturl.IsLoopback(u.Hostname()) {
			return "", "", fmt.Errorf("refusing %s: the token would travel unencrypted over http://; use https://%s (http:// is allowed only for loopback hosts such as 127.0.0.1, ::1 or localhost)", raw, u.Host)
		}
	default:
		return "", "", fmt.Errorf("invalid Misskey URL %q: the scheme must be https", raw)
	}
	host = strings.ToLower(u.Host)
	return scheme + "://" + host, host, nil
}

// noRedirects stops the default client from following a redirect: Misskey's
// API never redirects, and following one would turn the POST into a GET.
// The 3xx becomes an APIError that names the new location.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Read calls an endpoint without side effects. Transient failures (network
// errors, 502/503/504, a 500 that is not a Misskey answer, and one
// INTERNAL_ERROR) are retried with backoff; a 429 is waited out.
func (c *Client) Read(ctx context.Context, endpoint string, params, out any) error {
	return c.call(ctx, endpoint, params, out, true)
}

// Write calls an endpoint with side effects. A failure after the request
// may have reached the server is not retried, because it may have taken
// effect; a 429 is waited out and retried, because Misskey rejects it
// before doing anything.
func (c *Client) Write(ctx context.Context, endpoint string, params, out any) error {
	return c.call(ctx, endpoint, params, out, false)
}

// Delete calls an endpoint that deletes one object (notes/delete,
// following/delete, antennas/delete …). Sending it twice leaves the same
// state: the second call does the work, or answers that the object is
// already gone (NO_SUCH_NOTE, NOT_FOLLOWING …), which every caller takes
// as success. So unlike Write it retries, like Read, a failure that leaves
// mkctl not knowing whether the request ran — a lost answer (502/503/504,
// a proxy's 500, a broken connection). Without that retry a lost answer
// failed the apply with the object gone on the server but still in mkctl's
// ownership record, where no later plan sees it again (plans look only at
// live objects); for a follow, whose id is the followee's user id, that
// entry would make mkctl unfollow that account should the user ever follow
// it by hand.
func (c *Client) Delete(ctx context.Context, endpoint string, params, out any) error {
	return c.call(ctx, endpoint, params, out, true)
}

func (c *Client) call(ctx context.Context, endpoint string, params, out any, idempotent bool) error {
	body := []byte("{}") // Misskey wants a JSON object even when there are no params
	if params != nil {
		b, err := json.Marshal(params)
		if err != nil {
			return fmt.Errorf("%s: encoding the request: %w", endpoint, err)
		}
		body = b
	}
	r := retrier{c: c, endpoint: endpoint, idempotent: idempotent}
	return c.send(ctx, r, body, func(ctx context.Context) (*response, error) { return c.once(ctx, endpoint, body) }, out)
}

// send makes attempts until one succeeds or r gives up: each paced, logged
// (with logBody), reported to c.sent, and retried as r decides. call and
// Upload differ only in how one attempt is sent.
func (c *Client) send(ctx context.Context, r retrier, logBody []byte, once func(context.Context) (*response, error), out any) error {
	endpoint := r.endpoint
	for attempt := 1; ; attempt++ {
		paced, err := c.paceStart(ctx, endpoint)
		if err != nil {
			return err
		}
		start := time.Now()
		resp, err := once(ctx)
		paced()
		c.logAttempt(ctx, endpoint, attempt, start, logBody, resp, err)
		if err == nil && c.sent != nil {
			c.sent(endpoint, c.now(), resp.status, resp.header)
		}
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("%s: %w", endpoint, ctx.Err())
			}
			if werr := r.afterNetworkError(ctx, err); werr != nil {
				return c.scrub(werr)
			}
			continue
		}
		if resp.status >= 200 && resp.status < 300 {
			return c.decode(endpoint, resp, out)
		}
		apiErr := c.apiError(endpoint, resp)
		if werr := r.afterAPIError(ctx, apiErr, resp.header); werr != nil {
			return c.scrub(werr)
		}
	}
}

// response is a fully read answer; reading the body inside the attempt's
// timeout keeps a stalled body from hanging the call.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (c *Client) once(ctx context.Context, endpoint string, body []byte) (*response, error) {
	return c.onceBody(ctx, endpoint, bytes.NewReader(body), "application/json", c.timeout)
}

// onceBody is one attempt with any body: a JSON one, or a multipart stream
// (upload.go), whose timeout is longer since it carries the file.
func (c *Client) onceBody(ctx context.Context, endpoint string, body io.Reader, contentType string, timeout time.Duration) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/"+endpoint, body)
	if err != nil {
		return nil, fmt.Errorf("%s: building the request: %w", endpoint, err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, c.networkError(endpoint, err)
	}
	defer res.Body.Close()
	// Sized from Content-Length when the server sends it: io.ReadAll grows
	// its buffer by doubling, which allocated twice the 150 KB of every page
	// of users/following (a plan of 100,000 follows reads 1,000).
	// (bytes.MinRead spare: ReadFrom grows a buffer with less room left.)
	buf := bytes.NewBuffer(make([]byte, 0, min(max(res.ContentLength, 0), maxResponseBytes)+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(res.Body, maxResponseBytes+1))
	data := buf.Bytes()
	if err != nil {
		return nil, c.networkError(endpoint, err)
	}
	if len(data) > maxResponseBytes {
		return nil, fmt.Errorf("%s: the answer from %s is larger than %d MiB", endpoint, c.host, maxResponseBytes>>20)
	}
	return &response{status: res.StatusCode, header: res.Header, body: data}, nil
}

// networkError names the endpoint and host; the URL inside *url.Error is
// dropped from the message because it only repeats them.
func (c *Client) networkError(endpoint string, err error) error {
	inner := err
	var uerr *url.Error
	if errors.As(err, &uerr) {
		inner = uerr.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &NetworkError{Endpoint: endpoint, Host: c.host, Err: err, msg: fmt.Sprintf("no answer within %s", c.timeout)}
	}
	return &NetworkError{Endpoint: endpoint, Host: c.host, Err: err, msg: c.redact(inner.Error())}
}

// decode fills out from a 2xx answer. A 204 or empty body (Misskey's answer
// for a null result) leaves out untouched.
func (c *Client) decode(endpoint string, resp *response, out any) error {
	if out == nil || resp.status == http.StatusNoContent || len(bytes.TrimSpace(resp.body)) == 0 {
		return nil
	}
	if err := unmarshal(resp.body, out); err != nil {
		return c.scrub(fmt.Errorf("%s: the answer from %s is not the JSON Misskey sends (is %s a Misskey server?): %w", endpoint, c.host, c.base, err))
	}
	if c.mayHoldToken(resp.body) {
		c.redactDecoded(out)
	}
	return nil
}

// NetworkError is a call that got no HTTP answer (DNS, connect, TLS,
// timeout, broken connection).
type NetworkError struct {
	Endpoint string
	Host     string
	Err      error
	msg      string
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("%s: cannot reach %s: %s", e.Endpoint, e.Host, e.msg)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// derive returns a copy of c whose notices and waits go through notify and
// sleep. The copy shares the HTTP client; c itself is unchanged, so other
// users of c are not affected. Apply uses it to add progress to every
// notice and to stop a wait when the user interrupts.
func (c *Client) derive(notify func(string), sleep func(ctx context.Context, d time.Duration) error) *Client {
	cp := *c
	if notify != nil {
		cp.notify = notify
	}
	if sleep != nil {
		cp.sleep = sleep
	}
	return &cp
}
