package emulator

import (
	"slices"
	"time"
)

// UserList is a user_list row with its memberships (user ids in the order
// they were added).
type UserList struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	UserID    string    `json:"userId"`
	Name      string    `json:"name"`
	IsPublic  bool      `json:"isPublic"`
	UserIDs   []string  `json:"userIds"`
}

func (l *UserList) snapshot() *UserList {
	c := *l
	c.UserIDs = slices.Clone(l.UserIDs)
	return &c
}

func (s *state) userList(id string) *UserList {
	for _, l := range s.UserLists {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// ownList is `userListsRepository.findOneBy({id, userId})`.
func (s *state) ownList(id, userID string) *UserList {
	if l := s.userList(id); l != nil && l.UserID == userID {
		return l
	}
	return nil
}

// packUserList is UserListEntityService.pack.
func packUserList(l *UserList) map[string]any {
	return map[string]any{
		"id":        l.ID,
		"createdAt": jsDate(l.CreatedAt),
		"name":      l.Name,
		"userIds":   stringList(l.UserIDs),
		"isPublic":  l.IsPublic,
	}
}
