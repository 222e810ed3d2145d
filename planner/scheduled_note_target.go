package planner

// draftCounts are the drafts an account holds once a list of changes is
// applied: all of them (noteDraftLimit) and the scheduled ones
// (scheduledNoteLimit), with the first change that adds to each; the
// --target check counts with it (targetCountLimits).
type draftCounts struct {
	all, scheduled           int
	firstDraft, firstSchedul *Change
}

// countDrafts counts from the live drafts: minus the ones changes delete,
// plus the ones they create; an update schedules its draft (every update
// sends isActuallyScheduled: true).
func countDrafts(live *Live, changes []*Change) draftCounts {
	var n draftCounts
	if live.Drafts == nil {
		return n
	}
	deleted, updated := map[string]bool{}, map[string]*Change{}
	for _, c := range changes {
		if c.Type != TypeScheduledNote {
			continue
		}
		switch c.Action {
		case ActionDelete:
			deleted[c.ID] = true
		case ActionUpdate:
			updated[c.ID] = c
		case ActionCreate:
			n.all++
			n.scheduled++
			if n.firstDraft == nil {
				n.firstDraft = c
			}
			if n.firstSchedul == nil {
				n.firstSchedul = c
			}
		}
	}
	for _, d := range live.Drafts.Drafts {
		if deleted[d.ID] {
			continue
		}
		n.all++
		switch u := updated[d.ID]; {
		case d.IsActuallyScheduled:
			n.scheduled++
		case u != nil:
			n.scheduled++
			if n.firstSchedul == nil {
				n.firstSchedul = u
			}
		}
	}
	return n
}
