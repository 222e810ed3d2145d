package cmd

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mkctl/mkctl/provider"
)

// clientOptions are the options of every Misskey client mkctl builds, so
// that each one honours --max-wait.
func (g *globalOptions) clientOptions(extra ...provider.Option) []provider.Option {
	opts := []provider.Option{
		provider.WithUserAgent("mkctl/" + Version),
		provider.WithMaxRateLimitWait(g.maxWait()),
	}
	if l := g.logger(); l != nil {
		opts = append(opts, provider.WithLogger(l))
	}
	return append(opts, extra...)
}

// logger is the MKCTL_LOG logger, or nil when logging is off (the
// default). It writes to stderr through the redacting stream, so even a
// log line cannot carry a token.
func (g *globalOptions) logger() *slog.Logger {
	g.logOnce.Do(func() {
		getenv := g.Getenv
		if getenv == nil {
			return
		}
		v := strings.ToLower(strings.TrimSpace(getenv("MKCTL_LOG")))
		var level slog.Level
		switch v {
		case "", "off", "none":
			return
		case "debug":
			level = slog.LevelDebug
		case "trace":
			level = provider.LevelTrace
		default:
			fmt.Fprintf(g.IO.ErrOut, "Warning: MKCTL_LOG=%s is not one of debug, trace, off; logging stays off.\n", v)
			return
		}
		g.log = slog.New(slog.NewTextHandler(g.IO.ErrOut, &slog.HandlerOptions{
			Level: level,
			ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
				if a.Key == slog.LevelKey && a.Value.Any() == provider.LevelTrace {
					a.Value = slog.StringValue("TRACE")
				}
				return a
			},
		}))
	})
	return g.log
}

func (g *globalOptions) maxWait() time.Duration {
	if g.MaxWait == nil {
		return provider.DefaultMaxWait
	}
	return time.Duration(*g.MaxWait)
}

// addMaxWaitFlag adds --max-wait to a command that talks to Misskey.
func addMaxWaitFlag(f *pflag.FlagSet, g *globalOptions) {
	if g.MaxWait == nil {
		d := maxWaitValue(provider.DefaultMaxWait)
		g.MaxWait = &d
	}
	f.Var(g.MaxWait, "max-wait", "wait at most `DURATION` for a rate limit to reset (per request, e.g. 90m; 0: never wait); a longer wait fails at once")
}

// maxWaitValue is a duration flag that refuses negative values: a negative
// cap would not mean anything.
type maxWaitValue time.Duration

func (v *maxWaitValue) String() string { return time.Duration(*v).String() }
func (v *maxWaitValue) Type() string   { return "duration" }
func (v *maxWaitValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("want a duration such as 90m, 2h or 0")
	}
	if d < 0 {
		return errors.New("must not be negative (0 means never wait)")
	}
	*v = maxWaitValue(d)
	return nil
}
