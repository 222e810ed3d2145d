package cmd

import (
	"errors"
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
	return append(opts, extra...)
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
