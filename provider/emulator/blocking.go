package emulator

import (
	"slices"
	"time"
)

// Blocking is a blocking row: blocker blocks blockee.
type Blocking struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	BlockerID string    `json:"blockerId"`
	BlockeeID string    `json:"blockeeId"`
}

// Muting is a muting row; ExpiresAt nil means indefinite. An expired row
// stays (listed, and answering ALREADY_MUTING) until Misskey's job removes
// it (removeExpiredMutings).
type Muting struct {
	ID        string     `json:"id"`
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt *time.Time `json:"expiresAt"`
	MuterID   string     `json:"muterId"`
	MuteeID   string     `json:"muteeId"`
}

// RenoteMuting is a renote_muting row.
type RenoteMuting struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	MuterID   string    `json:"muterId"`
	MuteeID   string    `json:"muteeId"`
}

func (s *state) blockingOf(blockerID, blockeeID string) *Blocking {
	for _, b := range s.Blockings {
		if b.BlockerID == blockerID && b.BlockeeID == blockeeID {
			return b
		}
	}
	return nil
}

// muteSweep is how often Misskey's checkExpiredMutings job runs: cron
// "*/5 * * * *", on the minutes divisible by 5 (API-NOTES §13).
const muteSweep = 5 * time.Minute

// removeExpiredMutings is that job as of now, by the emulator's clock: the
// last run was at now truncated to 5 minutes (UTC, which Truncate's
// absolute time follows), and it deleted every muting whose expiresAt was
// before it (MutingRepository delete where expiresAt < now). A muting that
// expired since is still there, as on the real server. dispatch runs it
// before every request, so the sweep needs no timer and follows a
// FakeClock exactly.
func (s *state) removeExpiredMutings(now time.Time) {
	lastRun := now.Truncate(muteSweep)
	s.Mutings = slices.DeleteFunc(s.Mutings, func(m *Muting) bool {
		return m.ExpiresAt != nil && m.ExpiresAt.Before(lastRun)
	})
}

func (s *state) mutingOf(muterID, muteeID string) *Muting {
	for _, m := range s.Mutings {
		if m.MuterID == muterID && m.MuteeID == muteeID {
			return m
		}
	}
	return nil
}

func (s *state) renoteMutingOf(muterID, muteeID string) *RenoteMuting {
	for _, m := range s.RenoteMutings {
		if m.MuterID == muterID && m.MuteeID == muteeID {
			return m
		}
	}
	return nil
}

// block is UserBlockingService.block: the follows and follow requests
// between the two end both ways, and the blocker leaves the blockee's
// lists (the blockee stays in the blocker's). Mutes are kept.
func (s *state) block(blocker, blockee *User, now time.Time) {
	s.Blockings = append(s.Blockings, &Blocking{ID: s.IDs.next(now), CreatedAt: now, BlockerID: blocker.ID, BlockeeID: blockee.ID})
	for _, pair := range [][2]string{{blocker.ID, blockee.ID}, {blockee.ID, blocker.ID}} {
		if f := s.followingOf(pair[0], pair[1]); f != nil {
			s.removeFollowing(f)
		}
		s.removeFollowRequest(pair[0], pair[1])
	}
	for _, l := range s.UserLists {
		if l.UserID == blockee.ID {
			l.UserIDs = slices.DeleteFunc(l.UserIDs, func(id string) bool { return id == blocker.ID })
		}
	}
}
