package emulator

import (
	"slices"
	"time"
)

// i/webhooks/* — ep/i/webhooks/*, models/Webhook.ts (API-NOTES §12). The
// secret is returned in clear by create, list and show; url is not
// validated; on may be empty and keeps duplicates. list has no ORDER BY:
// creation order, an updated row moved to the end (like antennas).
func init() {
	register("i/webhooks/create", nil, handleWebhooksCreate)
	register("i/webhooks/list", nil, handleWebhooksList)
	register("i/webhooks/show", nil, handleWebhooksShow)
	register("i/webhooks/update", nil, handleWebhooksUpdate)
	register("i/webhooks/delete", nil, handleWebhooksDelete)
}

// Webhook is a webhook row.
type Webhook struct {
	ID           string     `json:"id"`
	UserID       string     `json:"userId"`
	Name         string     `json:"name"`
	On           []string   `json:"on"`
	URL          string     `json:"url"`
	Secret       string     `json:"secret"`
	Active       bool       `json:"active"`
	LatestSentAt *time.Time `json:"latestSentAt"`
	LatestStatus *int       `json:"latestStatus"`
}

var (
	errTooManyWebhooks     = clientError("TOO_MANY_WEBHOOKS", "87a9bb19-111e-4e37-81d3-a3e7426453b0", "You cannot create webhook any more.")
	errShowNoSuchWebhook   = clientError("NO_SUCH_WEBHOOK", "50f614d9-3047-4f7e-90d8-ad6b2d5fb098", "No such webhook.")
	errUpdateNoSuchWebhook = clientError("NO_SUCH_WEBHOOK", "fb0fea69-da18-45b1-828d-bd4fd1612518", "No such webhook.")
	errDeleteNoSuchWebhook = clientError("NO_SUCH_WEBHOOK", "bae73e5a-5522-4965-ae19-3a8688e71d82", "No such webhook.")
)

func packWebhook(w *Webhook) map[string]any {
	var status any
	if w.LatestStatus != nil {
		status = *w.LatestStatus
	}
	on := w.On
	if on == nil {
		on = []string{}
	}
	return map[string]any{
		"id": w.ID, "userId": w.UserID, "name": w.Name, "on": on, "url": w.URL, "secret": w.Secret,
		"active": w.Active, "latestSentAt": optDate(w.LatestSentAt), "latestStatus": status,
	}
}

func (s *state) ownWebhook(id, userID string) *Webhook {
	for _, w := range s.Webhooks {
		if w.ID == id && w.UserID == userID {
			return w
		}
	}
	return nil
}

func handleWebhooksCreate(c *call) (any, *apiError) {
	st := c.e.st
	count := countOwned(st.Webhooks, func(w *Webhook) string { return w.UserID }, c.me.ID)
	if float64(count) >= c.me.policyNumber("webhookLimit") {
		return nil, errTooManyWebhooks
	}
	name, _ := c.str("name")
	url, _ := c.str("url")
	secret, _ := c.str("secret") // default ""
	w := &Webhook{ID: st.IDs.next(c.now), UserID: c.me.ID, Name: name, URL: url, Secret: secret, On: c.strings("on"), Active: true}
	st.Webhooks = append(st.Webhooks, w)
	return packWebhook(w), nil
}

func handleWebhooksList(c *call) (any, *apiError) {
	out := []any{}
	for _, w := range c.e.st.Webhooks {
		if w.UserID == c.me.ID {
			out = append(out, packWebhook(w))
		}
	}
	return out, nil
}

func handleWebhooksShow(c *call) (any, *apiError) {
	id, _ := c.str("webhookId")
	w := c.e.st.ownWebhook(id, c.me.ID)
	if w == nil {
		return nil, errShowNoSuchWebhook
	}
	return packWebhook(w), nil
}

// handleWebhooksUpdate: 204 without a body; a null secret stores "";
// nothing to change besides webhookId reaches the database as an empty
// UPDATE (500 UpdateValuesMissingError).
func handleWebhooksUpdate(c *call) (any, *apiError) {
	st := c.e.st
	id, _ := c.str("webhookId")
	w := st.ownWebhook(id, c.me.ID)
	if w == nil {
		return nil, errUpdateNoSuchWebhook
	}
	if !c.has("name") && !c.has("url") && !c.has("secret") && !c.has("on") && !c.has("active") {
		return nil, internalError(updateValuesMissingMsg, "UpdateValuesMissingError", newErrorID())
	}
	if s, ok := c.str("name"); ok {
		w.Name = s
	}
	if s, ok := c.str("url"); ok {
		w.URL = s
	}
	if c.has("secret") {
		w.Secret = ""
		if s, ok := c.str("secret"); ok {
			w.Secret = s
		}
	}
	if c.has("on") {
		w.On = c.strings("on")
	}
	if b, ok := c.boolean("active"); ok {
		w.Active = b
	}
	st.Webhooks = append(slices.DeleteFunc(st.Webhooks, func(x *Webhook) bool { return x == w }), w)
	return nil, nil
}

func handleWebhooksDelete(c *call) (any, *apiError) {
	id, _ := c.str("webhookId")
	w := c.e.st.ownWebhook(id, c.me.ID)
	if w == nil {
		return nil, errDeleteNoSuchWebhook
	}
	c.e.st.Webhooks = slices.DeleteFunc(c.e.st.Webhooks, func(x *Webhook) bool { return x == w })
	return nil, nil
}
