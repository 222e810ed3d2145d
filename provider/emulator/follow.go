package emulator

import (
	"slices"
	"time"
)

// Following is a following row: follower follows followee.
type Following struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"createdAt"`
	FollowerID string    `json:"followerId"`
	FolloweeID string    `json:"followeeId"`
	// Notify is "normal" or nil; the API shows nil as "none".
	Notify      *string `json:"notify"`
	WithReplies bool    `json:"withReplies"`
}

// FollowRequest is a follow_request row: a follow waiting for the
// followee's (or the remote server's) acceptance.
type FollowRequest struct {
	ID          string    `json:"id"`
	CreatedAt   time.Time `json:"createdAt"`
	FollowerID  string    `json:"followerId"`
	FolloweeID  string    `json:"followeeId"`
	WithReplies bool      `json:"withReplies"`
}

type relKey struct{ follower, followee string }

func (s *state) followIndex() map[relKey]*Following {
	if s.follows == nil {
		s.follows = make(map[relKey]*Following, len(s.Followings))
		for _, f := range s.Followings {
			s.follows[relKey{f.FollowerID, f.FolloweeID}] = f
		}
	}
	return s.follows
}

// followingOf is the follow of follower to followee, or nil.
func (s *state) followingOf(followerID, followeeID string) *Following {
	return s.followIndex()[relKey{followerID, followeeID}]
}

func (s *state) followRequestOf(followerID, followeeID string) *FollowRequest {
	for _, r := range s.FollowRequests {
		if r.FollowerID == followerID && r.FolloweeID == followeeID {
			return r
		}
	}
	return nil
}

// insertFollowing is UserFollowingService.insertFollowingDoc: the follow,
// the counters, and the end of any pending request between the two.
func (s *state) insertFollowing(follower, followee *User, withReplies bool, now time.Time) *Following {
	f := &Following{ID: s.IDs.next(now), CreatedAt: now, FollowerID: follower.ID, FolloweeID: followee.ID, WithReplies: withReplies}
	s.Followings = append(s.Followings, f)
	s.followIndex()[relKey{follower.ID, followee.ID}] = f
	follower.FollowingCount++
	followee.FollowersCount++
	s.removeFollowRequest(follower.ID, followee.ID)
	return f
}

func (s *state) removeFollowing(f *Following) {
	s.Followings = slices.DeleteFunc(s.Followings, func(x *Following) bool { return x == f })
	delete(s.followIndex(), relKey{f.FollowerID, f.FolloweeID})
	if u := s.user(f.FollowerID); u != nil {
		u.FollowingCount = max(u.FollowingCount-1, 0)
	}
	if u := s.user(f.FolloweeID); u != nil {
		u.FollowersCount = max(u.FollowersCount-1, 0)
	}
}

func (s *state) removeFollowRequest(followerID, followeeID string) bool {
	n := len(s.FollowRequests)
	s.FollowRequests = slices.DeleteFunc(s.FollowRequests, func(r *FollowRequest) bool {
		return r.FollowerID == followerID && r.FolloweeID == followeeID
	})
	return len(s.FollowRequests) != n
}

// follow is UserFollowingService.follow without blocks: a follow request
// instead of a follow when the followee is locked, when it is careful
// about bots and the follower is one, or — always — when a local user
// follows a remote one (the remote server has to accept). A locked local
// followee that has autoAcceptFollowed on and already follows the
// follower accepts at once. A request replaces any pending one (a new id).
// It reports whether the follow happened now.
func (s *state) follow(follower, followee *User, withReplies bool, now time.Time) bool {
	needsRequest := followee.IsLocked || (followee.CarefulBot && follower.IsBot) || (follower.IsLocal() && !followee.IsLocal())
	if needsRequest {
		autoAccept := s.followingOf(follower.ID, followee.ID) != nil ||
			(followee.IsLocal() && followee.AutoAcceptFollowed && s.followingOf(followee.ID, follower.ID) != nil)
		if !autoAccept {
			s.removeFollowRequest(follower.ID, followee.ID)
			s.FollowRequests = append(s.FollowRequests, &FollowRequest{
				ID: s.IDs.next(now), CreatedAt: now, FollowerID: follower.ID, FolloweeID: followee.ID, WithReplies: withReplies,
			})
			return false
		}
	}
	s.insertFollowing(follower, followee, withReplies, now)
	return true
}

// acceptFollowRequest is UserFollowingService.acceptFollowRequest: the
// request becomes a follow with the request's withReplies. It reports
// false when there is no such request.
func (s *state) acceptFollowRequest(follower, followee *User, now time.Time) bool {
	r := s.followRequestOf(follower.ID, followee.ID)
	if r == nil {
		return false
	}
	if s.followingOf(follower.ID, followee.ID) == nil {
		s.insertFollowing(follower, followee, r.WithReplies, now)
	}
	s.removeFollowRequest(follower.ID, followee.ID)
	return true
}

// acceptAllFollowRequests is what unlocking an account does (i/update with
// isLocked false): every pending request to it becomes a follow.
func (s *state) acceptAllFollowRequests(followee *User, now time.Time) {
	var followers []*User
	for _, r := range s.FollowRequests {
		if r.FolloweeID == followee.ID {
			if u := s.user(r.FollowerID); u != nil {
				followers = append(followers, u)
			}
		}
	}
	for _, f := range followers {
		s.acceptFollowRequest(f, followee, now)
	}
}

// packFollowing is FollowingEntityService.pack with populateFollowee.
func (e *Emulator) packFollowing(f *Following, me *User) map[string]any {
	return map[string]any{
		"id":         f.ID,
		"createdAt":  jsDate(f.CreatedAt),
		"followeeId": f.FolloweeID,
		"followerId": f.FollowerID,
		"followee":   e.packDetailed(e.st.user(f.FolloweeID), packOpts{me: me}),
	}
}

// packFollowRequest is FollowRequestEntityService.pack.
func (e *Emulator) packFollowRequest(r *FollowRequest) map[string]any {
	return map[string]any{
		"id":       r.ID,
		"follower": e.packLite(e.st.user(r.FollowerID)),
		"followee": e.packLite(e.st.user(r.FolloweeID)),
	}
}
