package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// profileApplier updates the profile with one i/update call. i/update is
// limited to 20 calls an hour and republishes the actor to every follower,
// so all attributes go in the same call and an empty change sends nothing.
type profileApplier struct{}

func (profileApplier) check(ch *planner.Change) error {
	if ch.Action != planner.ActionUpdate {
		return fmt.Errorf("a profile can only be updated, not %q", ch.Action)
	}
	if _, err := profileUpdateBody(ch); err != nil {
		return err
	}
	for ref, key := range ch.Refs {
		if !strings.HasPrefix(ref, planner.NotifConfigRef) || !strings.HasPrefix(key, "user_list.") {
			return fmt.Errorf("a profile cannot refer to %q (%s)", ref, key)
		}
	}
	for _, name := range []string{"avatar", "banner"} {
		m, ok := ch.After[name].(map[string]any)
		if !ok {
			continue
		}
		src, err := sourceOf(m)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if !strings.HasPrefix(src.typ, "image/") {
			return fmt.Errorf("the %s %s is not an image (%s): Misskey would refuse it", name, src.path, src.typ)
		}
	}
	return nil
}

func (profileApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	body, err := profileUpdateBody(ch)
	if err != nil {
		return "", err
	}
	if err := resolveNotifConfigRefs(ctx, run, ch, body); err != nil {
		return "", err
	}
	// The avatar and banner: the new file first (uploaded, or found by
	// md5), then the i/update that points at it; the old file is deleted by
	// a later change of the plan, so the profile never shows the identicon
	// in between.
	images := map[string]string{}
	// byMD5: the same bytes as avatar and banner are one file; the second
	// image takes the first's id rather than asking find-by-hash again.
	byMD5 := map[string]string{}
	for _, name := range []string{"avatar", "banner"} {
		v, ok := ch.After[name]
		if !ok {
			continue
		}
		if v == nil {
			body[name+"Id"] = nil
			continue
		}
		m, _ := v.(map[string]any)
		src, err := sourceOf(m)
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		id, ok := byMD5[src.md5]
		if !ok {
			if id, err = putImage(ctx, run, src); err != nil {
				return "", fmt.Errorf("uploading the %s: %w", name, err)
			}
			byMD5[src.md5] = id
		}
		body[name+"Id"] = id
		images[name] = id
	}
	if len(body) == 0 {
		return "", nil
	}
	// The old images go into the record as retiring before i/update: should
	// its answer be lost, the record (written when the apply ends) still
	// says they are mkctl's to delete once they are not in use.
	for _, name := range []string{"avatar", "banner"} {
		if old, _ := ch.After[name+"RetireOld"].(string); old != "" && old != images[name] {
			if _, err := run.put(ctx, planner.RetiringFileKey(planner.ProfileImageKey(name), old), old, nil); err != nil {
				return "", err
			}
		}
	}
	if err := run.c.Write(ctx, "i/update", body, nil); err != nil {
		return "", err
	}
	for _, name := range []string{"avatar", "banner"} {
		v, ok := ch.After[name]
		if !ok {
			continue
		}
		key := planner.ProfileImageKey(name)
		if v == nil {
			if _, err := run.drop(ctx, key); err != nil {
				return "", err
			}
		} else {
			m, _ := v.(map[string]any)
			if _, err := run.put(ctx, key, images[name], map[string]any{"md5": m["md5"]}); err != nil {
				return "", err
			}
		}
		if err := run.later(ctx); err != nil {
			return "", err
		}
	}
	return "", nil
}

// profileUpdateBody maps HCL attribute names to i/update parameters. After
// is sent as is: nil becomes JSON null, which is how Misskey clears a value
// (it rejects "").
func profileUpdateBody(ch *planner.Change) (map[string]any, error) {
	body := make(map[string]any, len(ch.Attrs))
	for _, a := range ch.Attrs {
		if a.Name == "avatar" || a.Name == "banner" {
			if _, ok := ch.After[a.Name]; !ok {
				return nil, fmt.Errorf("the plan changes the %s without saying to what", a.Name)
			}
			continue // a file: see apply
		}
		f, ok := schema.ProfileFieldByName(a.Name)
		if !ok {
			return nil, fmt.Errorf("unknown profile attribute %q in the plan", a.Name)
		}
		if _, dup := body[f.API]; dup {
			return nil, fmt.Errorf("profile attribute %q appears twice in the plan", a.Name)
		}
		if f.Kind == schema.KindNotifConfig {
			// The plan shows lists by name; it sends them by id.
			v, ok := ch.After[a.Name]
			if !ok {
				return nil, fmt.Errorf("the plan changes %s without the list ids to send", a.Name)
			}
			body[f.API] = v
			continue
		}
		body[f.API] = a.After
	}
	return body, nil
}

// resolveNotifConfigRefs puts into body's notificationRecieveConfig the id
// of each user list the plan created earlier in this apply (Refs
// "notification_receive_config.TYPE" → "user_list.NAME"), on a copy: the
// plan's After keeps "" for it, as planned.
func resolveNotifConfigRefs(ctx context.Context, run *applyRun, ch *planner.Change, body map[string]any) error {
	if len(ch.Refs) == 0 {
		return nil
	}
	cfg, _ := body["notificationRecieveConfig"].(map[string]any)
	if cfg == nil {
		return fmt.Errorf("the plan refers to user lists for notification_receive_config without changing it")
	}
	out := make(map[string]any, len(cfg))
	for k, v := range cfg {
		out[k] = v
	}
	for ref, key := range ch.Refs {
		typ, ok := strings.CutPrefix(ref, planner.NotifConfigRef)
		if !ok {
			continue
		}
		id, err := run.idOf(ctx, key)
		if err != nil {
			return fmt.Errorf("notification_receive_config.%s: %w", typ, err)
		}
		out[typ] = map[string]any{"type": "list", "userListId": id}
	}
	body["notificationRecieveConfig"] = out
	return nil
}
