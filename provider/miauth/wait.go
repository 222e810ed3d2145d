package miauth

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultInterval is how often Wait checks: gentle on the server (check
// has no rate limit, but a user may take minutes to approve) and quick
// enough that nobody notices the wait after approving.
const DefaultInterval = 2 * time.Second

// WaitOptions configure Wait.
type WaitOptions struct {
	// Check asks the server once; usually (*Checker).Check.
	Check func(ctx context.Context) (*Grant, error)
	// Interval between checks; DefaultInterval when zero.
	Interval time.Duration
	// Wake, when it is closed (the browser came back to the callback),
	// triggers a check at once. Nil when there is no callback.
	Wake <-chan struct{}
	// OnTransient, when set, hears about checks that failed but will be
	// tried again (the network, a 5xx answer).
	OnTransient func(err error)
}

// ErrTokenNotReceived is Wait's answer when the browser came back to the
// callback — so the user approved, and the server made the token — but the
// checks keep answering {"ok":false}: the server has handed the token out
// already, to a check whose answer never arrived or to someone else who
// knew the session. It cannot be fetched again; only revoking it helps.
var ErrTokenNotReceived = errors.New("the token was handed out but mkctl did not receive it")

// checksAfterCallback is how many checks after the browser's return must
// answer {"ok":false} before Wait gives up with ErrTokenNotReceived. More
// than one, a second apart at most: an instance that reads from a database
// replica may see the new token a moment late.
const checksAfterCallback = 3

// StoppedError is Wait's answer when ctx ended first. It wraps ctx's error
// and carries the last check's failure, if the last check failed: a
// timeout is more often a network problem than a user who never came.
type StoppedError struct {
	Cause     error // context.DeadlineExceeded or context.Canceled
	LastCheck error
}

func (e *StoppedError) Error() string {
	if e.LastCheck != nil {
		return fmt.Sprintf("%v (the last check failed: %v)", e.Cause, e.LastCheck)
	}
	return e.Cause.Error()
}

func (e *StoppedError) Unwrap() error { return e.Cause }

// Wait checks every Interval, and at once when Wake is closed, until the
// session is approved, a check fails for good, or ctx ends (a
// *StoppedError). After Wake, checks come at most a second apart, and when
// checksAfterCallback of them find nothing the answer is
// ErrTokenNotReceived.
// Checks run one at a time, never concurrently: the server hands the
// token out only once.
func Wait(ctx context.Context, o WaitOptions) (*Grant, error) {
	interval := o.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	wake := o.Wake
	var lastErr error
	woken := false
	missed := 0 // checks after the wake that found nothing
	for {
		select {
		case <-ctx.Done():
			return nil, &StoppedError{Cause: ctx.Err(), LastCheck: lastErr}
		case <-ticker.C:
		case <-wake:
			wake = nil // a closed channel would fire forever
			woken = true
			ticker.Reset(min(interval, time.Second))
		}
		g, err := o.Check(ctx)
		if err == nil && g != nil {
			return g, nil
		}
		if err == nil {
			lastErr = nil
			if woken {
				if missed++; missed >= checksAfterCallback {
					return nil, ErrTokenNotReceived
				}
			}
			continue
		}
		if ctx.Err() != nil {
			continue // reported by the select above
		}
		var ce *CheckError
		if errors.As(err, &ce) && ce.Transient {
			lastErr = err
			if o.OnTransient != nil {
				o.OnTransient(err)
			}
			continue
		}
		return nil, err
	}
}
