package emulator

import (
	"strings"
	"time"
)

// Packing follows core/entities/UserEntityService.ts pack() of 2026.5.4:
// UserLite ⊂ UserDetailedNotMe ⊂ MeDetailed, with the same field sets as
// the recorded samples 01 (MeDetailed) and 02 (another user).
//
// Counts, pinned notes and follow relations come from the emulator's
// tables. Features it does not model at all (blocks, mutes, roles,
// notifications, achievements, announcements) report a new account's
// values.

// jsDate formats a time like JavaScript's Date.toISOString.
func jsDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func optDate(t *time.Time) any {
	if t == nil {
		return nil
	}
	return jsDate(*t)
}

func optString(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// list makes sure a nil slice encodes as [] rather than null.
func list(v []any) []any {
	if v == nil {
		return []any{}
	}
	return cloneJSON(v).([]any)
}

// avatarURL is the avatar's media-proxy URL, or the identicon Misskey
// serves when there is no avatar (none set, or its file deleted).
func (e *Emulator) avatarURL(u *User) string {
	if f := e.profileFile(u.AvatarID); f != nil {
		return e.avatarProxyURL(f)
	}
	host := e.host
	if u.Host != nil {
		host = *u.Host
	}
	return e.opts.URL + "/identicon/" + strings.ToLower(u.Username) + "@" + host
}

// profileFile is the drive file of an avatarId or bannerId, nil when none.
func (e *Emulator) profileFile(id *string) *DriveFile {
	if id == nil {
		return nil
	}
	return e.st.driveFile(*id)
}

// blurhashOf is the avatar's or banner's blurhash, null without one.
func (e *Emulator) blurhashOf(id *string) any {
	if f := e.profileFile(id); f != nil {
		return optString(f.Blurhash)
	}
	return nil
}

// bannerURL is the banner file's public URL (not proxied), null without.
func (e *Emulator) bannerURL(u *User) any {
	if f := e.profileFile(u.BannerID); f != nil {
		return e.publicURL(f)
	}
	return nil
}

// packLite is UserLite.
func (e *Emulator) packLite(u *User) map[string]any {
	m := map[string]any{
		"id":                u.ID,
		"name":              optString(u.Name),
		"username":          u.Username,
		"host":              optString(u.Host),
		"avatarUrl":         e.avatarURL(u),
		"avatarBlurhash":    e.blurhashOf(u.AvatarID),
		"avatarDecorations": list(u.AvatarDecorations),
		"isBot":             u.IsBot,
		"isCat":             u.IsCat,
		"emojis":            map[string]any{},
		// "unknown" without a lastActiveDate; the emulator records none.
		"onlineStatus": "unknown",
		"badgeRoles":   []any{},
	}
	if u.RequireSigninToViewContents {
		m["requireSigninToViewContents"] = true
	}
	if u.MakeNotesFollowersOnlyBefore != nil {
		m["makeNotesFollowersOnlyBefore"] = *u.MakeNotesFollowersOnlyBefore
	}
	if u.MakeNotesHiddenBefore != nil {
		m["makeNotesHiddenBefore"] = *u.MakeNotesHiddenBefore
	}
	if u.Host != nil {
		m["instance"] = map[string]any{
			"name": nil, "softwareName": nil, "softwareVersion": nil,
			"iconUrl": nil, "faviconUrl": nil, "themeColor": nil,
		}
	}
	return m
}

// packOpts says who is looking.
type packOpts struct {
	me             *User // nil for an anonymous caller
	includeSecrets bool  // a native token asking about itself
}

// packDetailed is UserDetailed: MeDetailed when me is the user, otherwise
// UserDetailedNotMe with the relation fields for a signed-in caller.
func (e *Emulator) packDetailed(u *User, o packOpts) map[string]any {
	m := e.packLite(u)
	isMe := o.me != nil && o.me.ID == u.ID
	pol := u.policies()
	var rel *relation
	if o.me != nil && !isMe {
		rel = e.relation(o.me, u)
	}
	// A count hidden by the user's visibility setting reads as 0.
	visibleCount := func(visibility string, n int) int {
		if visibility == "public" || isMe || (visibility == "followers" && rel != nil && rel.following != nil) {
			return n
		}
		return 0
	}
	pins := e.st.pinsOf(u.ID)
	pinnedIDs, pinnedNotes := make([]any, 0, len(pins)), make([]any, 0, len(pins))
	for _, p := range pins {
		if n := e.st.note(p.NoteID); n != nil {
			pinnedIDs = append(pinnedIDs, n.ID)
			pinnedNotes = append(pinnedNotes, e.packNote(n, o.me, true))
		}
	}

	fields := make([]any, 0, len(u.Fields))
	for _, f := range u.Fields {
		fields = append(fields, map[string]any{"name": f.Name, "value": f.Value})
	}
	set(m, map[string]any{
		"url":                 optString(u.URL),
		"uri":                 optString(u.URI),
		"movedTo":             nil,
		"alsoKnownAs":         e.alsoKnownAsIDs(u),
		"createdAt":           jsDate(u.CreatedAt),
		"updatedAt":           optDate(u.UpdatedAt),
		"lastFetchedAt":       optDate(u.LastFetchedAt),
		"bannerUrl":           e.bannerURL(u),
		"bannerBlurhash":      e.blurhashOf(u.BannerID),
		"isLocked":            u.IsLocked,
		"isSilenced":          pol["canPublicNote"] == false,
		"isSuspended":         u.IsSuspended,
		"description":         optString(u.Description),
		"location":            optString(u.Location),
		"birthday":            optString(u.Birthday),
		"lang":                optString(u.Lang),
		"fields":              fields,
		"verifiedLinks":       []any{},
		"followersCount":      visibleCount(u.FollowersVisibility, u.FollowersCount),
		"followingCount":      visibleCount(u.FollowingVisibility, u.FollowingCount),
		"notesCount":          u.NotesCount,
		"pinnedNoteIds":       pinnedIDs,
		"pinnedNotes":         pinnedNotes,
		"pinnedPageId":        optString(u.PinnedPageID),
		"pinnedPage":          nil,
		"publicReactions":     u.IsLocal() && u.PublicReactions, // remote: always false
		"followersVisibility": u.FollowersVisibility,
		"followingVisibility": u.FollowingVisibility,
		"chatScope":           u.ChatScope,
		"canChat":             pol["chatAvailability"] == "available",
		"roles":               []any{},
		"memo":                nil,
	})
	if isMe {
		set(m, e.meOnly(u, pol))
		if o.includeSecrets {
			set(m, map[string]any{"email": nil, "emailVerified": false, "securityKeysList": []any{}})
		}
	} else if rel != nil {
		notify, withReplies := "none", false
		if f := rel.following; f != nil {
			withReplies = f.WithReplies
			if f.Notify != nil {
				notify = *f.Notify
			}
		}
		set(m, map[string]any{
			"isFollowing":                    rel.following != nil,
			"isFollowed":                     rel.followed,
			"hasPendingFollowRequestFromYou": rel.requestFromYou,
			"hasPendingFollowRequestToYou":   rel.requestToYou,
			"isBlocking":                     e.st.blockingOf(o.me.ID, u.ID) != nil,
			"isBlocked":                      e.st.blockingOf(u.ID, o.me.ID) != nil,
			"isMuted":                        e.st.mutingOf(o.me.ID, u.ID) != nil,
			"isRenoteMuted":                  e.st.renoteMutingOf(o.me.ID, u.ID) != nil,
			"notify":                         notify,
			"withReplies":                    withReplies,
		})
		// The followed message is shown to followers only.
		if rel.following != nil {
			m["followedMessage"] = optString(u.FollowedMessage)
		}
	}
	return m
}

// relation is UserEntityService.getRelation for what the emulator models.
type relation struct {
	following      *Following // me → u
	followed       bool       // u → me
	requestFromYou bool       // a pending request me → u
	requestToYou   bool       // a pending request u → me
}

func (e *Emulator) relation(me, u *User) *relation {
	return &relation{
		following:      e.st.followingOf(me.ID, u.ID),
		followed:       e.st.followingOf(u.ID, me.ID) != nil,
		requestFromYou: e.st.followRequestOf(me.ID, u.ID) != nil,
		requestToYou:   e.st.followRequestOf(u.ID, me.ID) != nil,
	}
}

// meOnly is MeDetailedOnly plus the 2FA fields only the owner sees.
func (e *Emulator) meOnly(u *User, pol map[string]any) map[string]any {
	return map[string]any{
		"twoFactorEnabled":                false,
		"usePasswordLessLogin":            false,
		"securityKeys":                    false,
		"avatarId":                        optString(u.AvatarID),
		"bannerId":                        optString(u.BannerID),
		"followedMessage":                 optString(u.FollowedMessage),
		"isModerator":                     u.isModerator(),
		"isAdmin":                         u.IsAdmin,
		"injectFeaturedNote":              u.InjectFeaturedNote,
		"receiveAnnouncementEmail":        u.ReceiveAnnouncementEmail,
		"alwaysMarkNsfw":                  u.AlwaysMarkNsfw,
		"autoSensitive":                   u.AutoSensitive,
		"carefulBot":                      u.CarefulBot,
		"autoAcceptFollowed":              u.AutoAcceptFollowed,
		"noCrawle":                        u.NoCrawle,
		"preventAiLearning":               u.PreventAiLearning,
		"isExplorable":                    u.IsExplorable,
		"isDeleted":                       false,
		"twoFactorBackupCodesStock":       "none",
		"hideOnlineStatus":                u.HideOnlineStatus,
		"hasUnreadSpecifiedNotes":         false,
		"hasUnreadMentions":               false,
		"hasUnreadChatMessages":           false,
		"hasUnreadAnnouncement":           false,
		"unreadAnnouncements":             []any{},
		"hasUnreadAntenna":                false,
		"hasUnreadChannel":                false,
		"hasUnreadNotification":           false,
		"hasPendingReceivedFollowRequest": e.hasPendingReceivedFollowRequest(u),
		"unreadNotificationsCount":        0,
		"mutedWords":                      list(u.MutedWords),
		"hardMutedWords":                  list(u.HardMutedWords),
		"mutedInstances":                  list(u.MutedInstances),
		"mutingNotificationTypes":         []any{},
		"notificationRecieveConfig":       cloneJSON(nonNilMap(u.NotificationRecieveConfig)),
		"emailNotificationTypes":          list(u.EmailNotificationTypes),
		"achievements":                    []any{},
		"loggedInDays":                    len(u.LoggedInDates),
		"policies":                        pol,
	}
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func set(dst, src map[string]any) {
	for k, v := range src {
		dst[k] = v
	}
}

// alsoKnownAsIDs resolves the stored actor URIs to user ids, dropping
// those that no longer resolve; null when none is stored.
func (e *Emulator) alsoKnownAsIDs(u *User) any {
	if len(u.AlsoKnownAs) == 0 {
		return nil
	}
	ids := []any{}
	for _, uri := range u.AlsoKnownAs {
		if other := e.userByURI(uri); other != nil {
			ids = append(ids, other.ID)
		}
	}
	return ids
}

// userURI is UserEntityService.getUserUri: a remote user's uri, or the
// local actor URL.
func (e *Emulator) userURI(u *User) string {
	if u.URI != nil {
		return *u.URI
	}
	return e.opts.URL + "/users/" + u.ID
}

func (e *Emulator) userByURI(uri string) *User {
	for _, u := range e.st.Users {
		if e.userURI(u) == uri {
			return u
		}
	}
	return nil
}

func (e *Emulator) hasPendingReceivedFollowRequest(u *User) bool {
	for _, r := range e.st.FollowRequests {
		if r.FolloweeID == u.ID {
			return true
		}
	}
	return false
}
