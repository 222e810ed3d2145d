package provider

import (
	"context"
	"fmt"

	"github.com/mkctl/mkctl/planner"
)

// readWebhooks reads every webhook with one i/webhooks/list (Misskey caps
// an account at policy webhookLimit, 3 by default; the endpoint is not
// paginated and has no defined order). The secrets come in clear: the
// planner compares them and the views hide them.
func readWebhooks(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if !r.manages(planner.TypeWebhook) {
		return nil, nil
	}
	var rows []struct {
		ID     string   `json:"id"`
		Name   string   `json:"name"`
		URL    string   `json:"url"`
		Secret *string  `json:"secret"`
		On     []string `json:"on"`
		Active bool     `json:"active"`
	}
	if err := r.read(ctx, "i/webhooks/list", nil, &rows); err != nil {
		return nil, fmt.Errorf("reading webhooks: %w", err)
	}
	hooks := make([]planner.LiveWebhook, 0, len(rows))
	for _, w := range rows {
		lw := planner.LiveWebhook{ID: w.ID, Name: w.Name, URL: w.URL, On: w.On, Active: w.Active}
		if w.Secret != nil {
			lw.Secret = *w.Secret
		}
		if lw.On == nil {
			lw.On = []string{}
		}
		hooks = append(hooks, lw)
	}
	return func(l *planner.Live) { l.Webhooks = hooks }, nil
}
