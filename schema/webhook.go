package schema

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// WebhookEvents are the event names Misskey 2026.5.4 accepts in a webhook's
// on (webhookEventTypes, API-NOTES §12). "reaction" is accepted but never
// delivered: no code of that version enqueues it (the plan says so).
var WebhookEvents = []string{"mention", "unfollow", "follow", "followed", "note", "reply", "renote", "reaction"}

// WebhookEventNeverSent is the event Misskey accepts but never delivers.
const WebhookEventNeverSent = "reaction"

// Webhook is one `webhook "NAME" { ... }` block: a webhook of the account,
// found by its name (i/webhooks/*).
type Webhook struct {
	Name      string
	URL       string
	Secret    string // "" for none; Misskey sends it as X-Misskey-Hook-Secret
	On        []string
	Active    bool
	Lifecycle Lifecycle
	DeclRange hcl.Range
}

const (
	maxWebhookURL    = 1024 // url and secret are varchar(1024), api.json maxLength 1024
	maxWebhookSecret = 1024
)

var webhookDesc = bodyDesc{
	What: "a webhook block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "url", Required: true},
			{Name: "secret"},
			{Name: "on", Required: true},
			{Name: "active"},
		},
		Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
	},
	Aliases: map[string]string{"events": "on", "event": "on", "enabled": "active", "endpoint": "url"},
	Refused: func() map[string]string {
		m := refusedResourceArgs("webhook")
		m["name"] = "a webhook's name is its label: webhook \"ci\" { ... }. Hint: remove name and put the name in the label."
		return m
	}(),
}

type webhookBlock struct {
	*resource
	name string
}

func decodeWebhook(block *hcl.Block) (*webhookBlock, hcl.Diagnostics) {
	diags := checkNameLabel(block, "webhook", maxListName, "Misskey accepts at most 100")
	r, _, d := decodeResource(block, webhookDesc)
	return &webhookBlock{resource: r, name: block.Labels[0]}, append(diags, d...)
}

// evaluate checks the webhook as Misskey would and more: Misskey stores any
// url ("not a url" is accepted, and then never delivers), mkctl wants an
// absolute http(s) URL; event names are checked offline, and each listed
// once (Misskey keeps duplicates, which only make the plan noisy). A
// secret written as a literal is a warning: it would sit in git; take it
// from a variable declared sensitive = true.
func (wb *webhookBlock) evaluate(s *scope) (*Webhook, hcl.Diagnostics) {
	e := &attrEval{s: s, attrs: wb.attrs}
	w := &Webhook{Name: wb.name, Active: true, On: []string{}, DeclRange: wb.block.DefRange}

	if u, attr, ctx, st := e.str("url", `url = "https://hooks.example/misskey"`); st == attrSet {
		if msg := checkWebhookURL(u); msg != "" {
			e.errorf(attr.Expr, ctx, "Invalid webhook URL", "%s Hint: write the full address Misskey should POST to, e.g. url = \"https://hooks.example/misskey\".", msg)
		} else {
			w.URL = u
		}
	}
	if sec, attr, ctx, st := e.str("secret", "secret = var.webhook_secret"); st == attrSet {
		switch {
		case ajvLength(sec) > maxWebhookSecret:
			e.errorf(attr.Expr, ctx, "Webhook secret too long", "The secret is %d characters long, but Misskey accepts at most %d. Hint: use a shorter secret.", ajvLength(sec), maxWebhookSecret)
		default:
			w.Secret = sec
			if sec != "" && len(attr.Expr.Variables()) == 0 {
				e.diags = append(e.diags, &hcl.Diagnostic{
					Severity: hcl.DiagWarning,
					Summary:  "Webhook secret written in the configuration",
					Detail:   fmt.Sprintf("The secret of webhook %q is a literal, so it is stored in the repository in clear, and plans show it as any text. Hint: declare variable \"webhook_secret\" { type = string, sensitive = true } and write secret = var.webhook_secret; give its value with MKCTL_VAR_webhook_secret or --var-file.", wb.name),
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
		}
	}
	if items, _, ctx, st := e.strings("on", `on = ["note", "follow"]`); st == attrSet {
		seen := map[string]bool{}
		for _, it := range items {
			switch {
			case !slices.Contains(WebhookEvents, it.value):
				hint := didYouMean(it.value, WebhookEvents)
				if hint == "" {
					hint = " Hint: write e.g. on = [\"note\", \"follow\"]."
				}
				e.errorf(it.expr, ctx, "Unsupported webhook event",
					"on[%d] is %q, which is not an event Misskey sends to webhooks; the events are %s.%s", it.index, it.value, quotedList(WebhookEvents), hint)
			case seen[it.value]:
				e.errorf(it.expr, ctx, "Duplicate webhook event", "on[%d] lists %q again. Hint: list each event once.", it.index, it.value)
			default:
				seen[it.value] = true
				w.On = append(w.On, it.value)
			}
		}
	}
	w.Active = e.boolean("active", true)

	lc, d := wb.lifecycle.evaluate(s)
	w.Lifecycle = lc
	return w, append(e.diags, d...)
}

// checkWebhookURL says what is wrong with a webhook URL, "" when nothing.
func checkWebhookURL(u string) string {
	if ajvLength(u) > maxWebhookURL {
		return fmt.Sprintf("The URL is %d characters long, but Misskey accepts at most %d.", ajvLength(u), maxWebhookURL)
	}
	p, err := url.Parse(u)
	if err != nil || strings.TrimSpace(u) != u {
		return fmt.Sprintf("%q is not a URL.", u)
	}
	if p.Scheme != "https" && p.Scheme != "http" || p.Host == "" {
		return fmt.Sprintf("%q is not an absolute http:// or https:// URL: Misskey would store it and never deliver an event.", u)
	}
	return ""
}

// Decl is where the block is declared.
func (w *Webhook) Decl() hcl.Range { return w.DeclRange }

// WebhookURLProblem says why validate would refuse u as a webhook URL, ""
// when it would not (for export).
func WebhookURLProblem(u string) string { return checkWebhookURL(u) }
