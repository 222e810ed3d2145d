package emulator

import "time"

// i/pin — ep/i/pin.ts, core/NotePiningService.ts addPinned: pin one of
// your notes (any visibility). The checks run in the service's order: the
// note, then the policy pinLimit, then a duplicate. Returns MeDetailed
// without secrets, with the new pin first.
func init() { register("i/pin", nil, handleIPin) }

var (
	errPinNoSuchNote    = clientError("NO_SUCH_NOTE", "56734f8b-3928-431e-bf80-6ff87df40cb3", "No such note.")
	errPinLimitExceeded = clientError("PIN_LIMIT_EXCEEDED", "72dab508-c64d-498f-8740-a8eec1ba385a", "You can not pin notes any more.")
	errPinAlreadyPinned = clientError("ALREADY_PINNED", "8b18c2b7-68fe-4edb-9892-c0cbaeb6c913", "That note has already been pinned.")
)

func handleIPin(c *call) (any, *apiError) {
	id, _ := c.str("noteId")
	if apiErr := c.e.st.pin(c.me, id, c.now); apiErr != nil {
		return nil, apiErr
	}
	return c.e.packDetailed(c.me, packOpts{me: c.me}), nil
}

// pin is NotePiningService.addPinned.
func (s *state) pin(u *User, noteID string, now time.Time) *apiError {
	n := s.ownNote(noteID, u.ID)
	if n == nil {
		return errPinNoSuchNote
	}
	pins := s.pinsOf(u.ID)
	if float64(len(pins)) >= u.policyNumber("pinLimit") {
		return errPinLimitExceeded
	}
	for _, p := range pins {
		if p.NoteID == n.ID {
			return errPinAlreadyPinned
		}
	}
	s.Pins = append(s.Pins, &NotePin{ID: s.IDs.next(now), CreatedAt: now, UserID: u.ID, NoteID: n.ID})
	return nil
}
