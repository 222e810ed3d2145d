package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// watchMetrics are mkctl watch's Prometheus metrics, served by --metrics.
//
// Written in the text exposition format (version 0.0.4) by hand rather
// than with prometheus/client_golang: that library's init registers Go and
// process collectors and pulls in protobuf, which every mkctl command —
// most of them short CLI runs — would pay for at start-up and in binary
// size, for six gauges and counters with one label. The format of those is
// a few lines (https://prometheus.io/docs/instrumenting/exposition_formats/).
type watchMetrics struct {
	mu       sync.Mutex
	accounts map[string]*accountMetrics
}

type accountMetrics struct {
	drift     int
	lastPlan  time.Time
	lastApply time.Time
	connected bool
	counters  map[string]int // reconnects, plan_failures, apply_failures, applies
	hasPlan   bool
	hasApply  bool
}

func newWatchMetrics() *watchMetrics { return &watchMetrics{accounts: map[string]*accountMetrics{}} }

func (m *watchMetrics) get(addr string) *accountMetrics {
	a := m.accounts[addr]
	if a == nil {
		a = &accountMetrics{counters: map[string]int{}}
		m.accounts[addr] = a
	}
	return a
}

func (m *watchMetrics) declare(addr string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.get(addr)
}

// known is a declared account's metrics, or a sink for an account a
// reload removed: its loop may still be finishing a plan when keepOnly
// runs (the new configuration is loaded before the old accounts stop), and
// must not bring its series back for good.
func (m *watchMetrics) known(addr string) *accountMetrics {
	if a := m.accounts[addr]; a != nil {
		return a
	}
	return &accountMetrics{counters: map[string]int{}}
}

// keepOnly drops the series of accounts a reload removed, so that a
// watch running for weeks does not report accounts it no longer watches.
func (m *watchMetrics) keepOnly(addrs []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keep := map[string]bool{}
	for _, a := range addrs {
		keep[a] = true
	}
	for a := range m.accounts {
		if !keep[a] {
			delete(m.accounts, a)
		}
	}
}

func (m *watchMetrics) setConnected(addr string, up bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.known(addr).connected = up
}

func (m *watchMetrics) setDrift(addr string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.known(addr).drift = n
}

func (m *watchMetrics) inc(addr, counter string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.known(addr).counters[counter]++
}

func (m *watchMetrics) planned(addr string, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.known(addr)
	a.lastPlan, a.hasPlan = at, true
}

func (m *watchMetrics) applied(addr string, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.known(addr)
	a.lastApply, a.hasApply = at, true
	a.counters["applies"]++
}

// labelValue escapes a label value: account.fleet["rain"] holds quotes.
func labelValue(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

// write renders every metric in the text format.
func (m *watchMetrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	addrs := make([]string, 0, len(m.accounts))
	for a := range m.accounts {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	family := func(name, typ, help string, value func(a *accountMetrics) (float64, bool)) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
		for _, addr := range addrs {
			if v, ok := value(m.accounts[addr]); ok {
				fmt.Fprintf(w, "%s{account=\"%s\"} %s\n", name, labelValue(addr), strconv.FormatFloat(v, 'f', -1, 64))
			}
		}
	}
	family("mkctl_watch_drift_changes", "gauge", "Changes the last successful plan of the account found (0: in sync, or repaired since).",
		func(a *accountMetrics) (float64, bool) { return float64(a.drift), a.hasPlan })
	family("mkctl_watch_last_plan_success_timestamp_seconds", "gauge", "When the account was last planned successfully (Unix time).",
		func(a *accountMetrics) (float64, bool) { return float64(a.lastPlan.UnixMilli()) / 1000, a.hasPlan })
	family("mkctl_watch_last_apply_success_timestamp_seconds", "gauge", "When watch --apply last applied to the account successfully (Unix time).",
		func(a *accountMetrics) (float64, bool) { return float64(a.lastApply.UnixMilli()) / 1000, a.hasApply })
	family("mkctl_watch_stream_connected", "gauge", "1 while the account's streaming connection is open.",
		func(a *accountMetrics) (float64, bool) { return b2f(a.connected), true })
	for _, c := range []struct{ key, help string }{
		{"reconnects", "Streaming reconnections of the account."},
		{"plan_failures", "Plans of the account that failed."},
		{"applies", "Applies watch --apply made to the account."},
		{"apply_failures", "Applies to the account that failed."},
	} {
		family("mkctl_watch_"+c.key+"_total", "counter", c.help,
			func(a *accountMetrics) (float64, bool) { return float64(a.counters[c.key]), true })
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// serve starts the /metrics endpoint; stop shuts it down. net/http's own
// log (a handler's panic and its stack, a bad TLS handshake …) goes to
// errOut, the redacting stream, not to the process's raw stderr.
func (m *watchMetrics) serve(addr string, errOut io.Writer) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics %s: %w", addr, err)
	}
	return m.serveOn(ln, errOut), nil
}

// serveOn serves /metrics on ln (see serve).
func (m *watchMetrics) serveOn(ln net.Listener, errOut io.Writer) (stop func()) {
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.write(w)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: log.New(errOut, "watch --metrics: ", 0)}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return // the listener failed: nothing left to serve
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
}
