package emulator

import (
	"slices"
	"time"
)

// Antenna is an antenna row.
type Antenna struct {
	ID                             string     `json:"id"`
	CreatedAt                      time.Time  `json:"createdAt"`
	UserID                         string     `json:"userId"`
	Name                           string     `json:"name"`
	Src                            string     `json:"src"` // home, all, users, list, users_blacklist
	UserListID                     *string    `json:"userListId"`
	Keywords                       [][]string `json:"keywords"`
	ExcludeKeywords                [][]string `json:"excludeKeywords"`
	Users                          []string   `json:"users"`
	CaseSensitive                  bool       `json:"caseSensitive"`
	LocalOnly                      bool       `json:"localOnly"`
	ExcludeBots                    bool       `json:"excludeBots"`
	WithReplies                    bool       `json:"withReplies"`
	WithFile                       bool       `json:"withFile"`
	ExcludeNotesInSensitiveChannel bool       `json:"excludeNotesInSensitiveChannel"`
	IsActive                       bool       `json:"isActive"`
	LastUsedAt                     time.Time  `json:"lastUsedAt"`
}

// antennaInactiveAfter is config deactivateAntennaThreshold's default: a
// server job deactivates antennas unused for that long. The emulator has
// no jobs; an antenna reads as inactive once that much time has passed.
const antennaInactiveAfter = 7 * 24 * time.Hour

func (a *Antenna) snapshot() *Antenna {
	c := *a
	c.Keywords = cloneKeywords(a.Keywords)
	c.ExcludeKeywords = cloneKeywords(a.ExcludeKeywords)
	c.Users = slices.Clone(a.Users)
	return &c
}

func cloneKeywords(k [][]string) [][]string {
	out := make([][]string, len(k))
	for i, and := range k {
		out[i] = slices.Clone(and)
	}
	return out
}

// keywordsParam reads a string[][] parameter (validation has checked it).
func (c *call) keywordsParam(name string) [][]string {
	outer, _ := c.params[name].([]any)
	out := make([][]string, 0, len(outer))
	for _, inner := range outer {
		items, _ := inner.([]any)
		and := make([]string, 0, len(items))
		for _, it := range items {
			s, _ := it.(string)
			and = append(and, s)
		}
		out = append(out, and)
	}
	return out
}

// allEmpty is the endpoint's keywords.flat().every(x => x === ""): true
// for [] and [[]] too, which is why sample 34 is refused.
func allEmpty(k [][]string) bool {
	for _, and := range k {
		for _, w := range and {
			if w != "" {
				return false
			}
		}
	}
	return true
}

func (s *state) ownAntenna(id, userID string) *Antenna {
	for _, a := range s.Antennas {
		if a.ID == id && a.UserID == userID {
			return a
		}
	}
	return nil
}

// packAntenna is AntennaEntityService.pack: notify and hasUnreadNote are
// always false (kept for compatibility).
func (e *Emulator) packAntenna(a *Antenna, now time.Time) map[string]any {
	keywords := func(k [][]string) []any {
		out := make([]any, 0, len(k))
		for _, and := range k {
			out = append(out, stringList(and))
		}
		return out
	}
	return map[string]any{
		"id":                             a.ID,
		"createdAt":                      jsDate(a.CreatedAt),
		"name":                           a.Name,
		"keywords":                       keywords(a.Keywords),
		"excludeKeywords":                keywords(a.ExcludeKeywords),
		"src":                            a.Src,
		"userListId":                     optString(a.UserListID),
		"users":                          stringList(a.Users),
		"caseSensitive":                  a.CaseSensitive,
		"localOnly":                      a.LocalOnly,
		"excludeBots":                    a.ExcludeBots,
		"withReplies":                    a.WithReplies,
		"withFile":                       a.WithFile,
		"excludeNotesInSensitiveChannel": a.ExcludeNotesInSensitiveChannel,
		"isActive":                       a.IsActive && now.Sub(a.LastUsedAt) <= antennaInactiveAfter,
		"hasUnreadNote":                  false,
		"notify":                         false,
	}
}
