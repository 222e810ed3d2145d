package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/mkctl/mkctl/planner"
)

// apiUser is the part of a packed user mkctl needs: who it is and, for
// users/following's UserDetailed followees, the relation fields of the
// caller's follow.
type apiUser struct {
	ID          string  `json:"id"`
	Username    string  `json:"username"`
	Host        *string `json:"host"` // null for a local user
	WithReplies *bool   `json:"withReplies"`
	Notify      *string `json:"notify"` // "normal" or "none"
}

// acct is the user's normalised account, as schema.Follow.Acct writes it:
// "@user" for a local user, "@user@host" (host lower-cased) otherwise.
func (u *apiUser) acct() string { return acctOf(u.Username, u.Host) }

func acctOf(username string, host *string) string {
	if host == nil || *host == "" {
		return "@" + username
	}
	return "@" + username + "@" + strings.ToLower(*host)
}

// acctFold is the key accts are compared by: Misskey matches usernames
// without case (usernameLower) and hosts are lower-cased already.
func acctFold(acct string) string { return strings.ToLower(acct) }

// readFollows reads every established follow with users/following, 100 per
// request (see readPages for the request count), unless asking users/show
// about the declared and recorded followees takes fewer requests
// (planFollowLookup). users/following works on every Misskey version;
// following/list (2026.5.2+) would give the same pages. The caller may
// always list their own follows, whatever followingVisibility says.
func readFollows(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if !r.manages(planner.TypeFollow) {
		return nil, nil
	}
	if l := planFollowLookup(r); l != nil {
		return readFollowsByLookup(ctx, r, l)
	}
	type following struct {
		ID         string   `json:"id"` // the following relation's id: the cursor
		FolloweeID string   `json:"followeeId"`
		Followee   *apiUser `json:"followee"`
	}
	userID, _ := r.me["id"].(string)
	rows, err := readPagesWith(ctx, r.lane(), "users/following", map[string]any{"userId": userID}, func(f *following) string { return f.ID })
	if err != nil {
		return nil, fmt.Errorf("reading follows: %w", err)
	}
	follows := make([]planner.LiveFollow, 0, len(rows))
	for _, f := range rows {
		if f.Followee == nil || f.Followee.Username == "" {
			continue // a followee Misskey could not pack (being deleted): nothing to manage
		}
		lf := f.Followee.liveFollow()
		if lf.UserID == "" {
			lf.UserID = f.FolloweeID
		}
		follows = append(follows, lf)
	}
	return func(l *planner.Live) { mergeEstablished(l, follows) }, nil
}

// liveFollow is the established follow of u, with its settings.
func (u *apiUser) liveFollow() planner.LiveFollow {
	lf := planner.LiveFollow{UserID: u.ID, Acct: u.acct()}
	if u.WithReplies != nil {
		lf.WithReplies = *u.WithReplies
	}
	lf.Notify = u.Notify != nil && *u.Notify == "normal"
	return lf
}

// mergeEstablished puts the established follows first in l.Follows; a
// pending entry for the same followee (the request was accepted between
// the two reads) is dropped.
func mergeEstablished(l *planner.Live, follows []planner.LiveFollow) {
	est := make(map[string]bool, len(follows))
	for _, f := range follows {
		est[f.UserID] = true
	}
	merged := follows
	for _, f := range l.Follows {
		if !est[f.UserID] {
			merged = append(merged, f)
		}
	}
	l.Follows = merged
}

// readFollowRequests reads the follow requests the account sent and that
// are not accepted yet (every remote follow starts as one): users/following
// does not list them, and withdrawing one takes following/requests/cancel,
// not following/delete. Their followee is a UserLite without relation
// fields, so WithReplies and Notify stay false.
func readFollowRequests(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if !r.manages(planner.TypeFollow) {
		return nil, nil
	}
	type request struct {
		ID       string   `json:"id"`
		Followee *apiUser `json:"followee"`
	}
	rows, err := readPagesWith(ctx, r.lane(), "following/requests/sent", nil, func(q *request) string { return q.ID })
	if err != nil {
		return nil, fmt.Errorf("reading follow requests: %w", err)
	}
	pending := make([]planner.LiveFollow, 0, len(rows))
	for _, q := range rows {
		if q.Followee == nil || q.Followee.ID == "" {
			continue
		}
		pending = append(pending, planner.LiveFollow{UserID: q.Followee.ID, Acct: q.Followee.acct(), Pending: true})
	}
	return func(l *planner.Live) {
		// Each followee once: a request accepted between the two reads
		// shows up in both lists, and the established follow wins.
		seen := make(map[string]bool, len(l.Follows))
		for _, f := range l.Follows {
			seen[f.UserID] = true
		}
		for _, p := range pending {
			if !seen[p.UserID] {
				seen[p.UserID] = true
				l.Follows = append(l.Follows, p)
			}
		}
	}, nil
}
