package schema

// FieldKind says how a profile attribute is typed in HCL and sent to Misskey.
type FieldKind int

const (
	KindString FieldKind = iota // string; nullable ones accept null/"" to clear
	KindBool
	KindEnum        // string from Enum
	KindFields      // list of {name, value} objects
	KindAccts       // list of "@user@host" strings
	KindHosts       // list of server names, compared as a set (sorted)
	KindMuteWords   // list of keyword lists and "/regex/" strings, as Misskey stores it
	KindNoteAge     // an age or a time: Misskey's integer seconds (≤ 0 relative, > 0 epoch)
	KindEnumSet     // list of strings from Enum, compared as a set (sorted)
	KindNotifConfig // notification type → {type} or {type: list, list: NAME}
)

// ProfileField describes one user-settable i/update parameter that mkctl
// manages. It is the single table that schema (validation), planner (diff)
// and provider (request building) share.
type ProfileField struct {
	Name     string    // HCL attribute name
	API      string    // i/update parameter and `i` response field
	Kind     FieldKind //
	Nullable bool      // null clears it; "" is turned into null
	MaxLen   int       // characters, for strings; items, for lists (0: none)
	Pattern  string    // regexp a string must match (birthday)
	Enum     []string  // allowed values for KindEnum
	// LiveDefault is the value to assume when `i` leaves the field out
	// (requireSigninToViewContents is only present when true).
	LiveDefault any
	Doc         string
}

var visibilities = []string{"public", "followers", "private"}

// ProfileFields lists every profile attribute mkctl manages, in the order the
// plan shows them.
var ProfileFields = []ProfileField{
	{Name: "name", API: "name", Kind: KindString, Nullable: true, MaxLen: 50, Doc: "display name"},
	{Name: "description", API: "description", Kind: KindString, Nullable: true, MaxLen: 1500, Doc: "bio"},
	{Name: "location", API: "location", Kind: KindString, Nullable: true, MaxLen: 50},
	{Name: "birthday", API: "birthday", Kind: KindString, Nullable: true, Pattern: `^([0-9]{4})-([0-9]{2})-([0-9]{2})$`, Doc: "YYYY-MM-DD"},
	{Name: "lang", API: "lang", Kind: KindEnum, Nullable: true, Enum: Langs},
	{Name: "fields", API: "fields", Kind: KindFields, MaxLen: 16, Doc: "profile table: list of {name, value}"},
	{Name: "is_locked", API: "isLocked", Kind: KindBool, Doc: "follows need approval"},
	{Name: "is_bot", API: "isBot", Kind: KindBool},
	{Name: "is_cat", API: "isCat", Kind: KindBool},
	{Name: "is_explorable", API: "isExplorable", Kind: KindBool},
	{Name: "hide_online_status", API: "hideOnlineStatus", Kind: KindBool},
	{Name: "public_reactions", API: "publicReactions", Kind: KindBool},
	{Name: "no_crawle", API: "noCrawle", Kind: KindBool, Doc: "ask search engines not to index"},
	{Name: "prevent_ai_learning", API: "preventAiLearning", Kind: KindBool},
	{Name: "careful_bot", API: "carefulBot", Kind: KindBool, Doc: "follows from bots need approval"},
	{Name: "auto_accept_followed", API: "autoAcceptFollowed", Kind: KindBool},
	{Name: "following_visibility", API: "followingVisibility", Kind: KindEnum, Enum: visibilities},
	{Name: "followers_visibility", API: "followersVisibility", Kind: KindEnum, Enum: visibilities},
	{Name: "chat_scope", API: "chatScope", Kind: KindEnum, Enum: []string{"everyone", "followers", "following", "mutual", "none"}},
	{Name: "followed_message", API: "followedMessage", Kind: KindString, Nullable: true, MaxLen: 256, Doc: "shown to new followers"},
	{Name: "require_signin_to_view_contents", API: "requireSigninToViewContents", Kind: KindBool, LiveDefault: false},
	{Name: "also_known_as", API: "alsoKnownAs", Kind: KindAccts, MaxLen: 10, Doc: "accounts this one moved from, as @user@host"},
	{Name: "auto_sensitive", API: "autoSensitive", Kind: KindBool, Doc: "let Misskey detect sensitive media in uploads"},
	{Name: "always_mark_nsfw", API: "alwaysMarkNsfw", Kind: KindBool, Doc: "mark every uploaded file as sensitive"},
	{Name: "inject_featured_note", API: "injectFeaturedNote", Kind: KindBool, Doc: "show featured notes in the timeline"},
	{Name: "muted_words", API: "mutedWords", Kind: KindMuteWords, LiveDefault: []any{}, Doc: "notes shown collapsed"},
	{Name: "hard_muted_words", API: "hardMutedWords", Kind: KindMuteWords, LiveDefault: []any{}, Doc: "notes hidden entirely"},
	{Name: "muted_instances", API: "mutedInstances", Kind: KindHosts, LiveDefault: []any{}, Doc: "servers whose notes are hidden"},
	{Name: "notification_receive_config", API: "notificationRecieveConfig", Kind: KindNotifConfig, LiveDefault: map[string]any{}, Doc: "who may notify, by notification type (Misskey spells it Recieve)"},
	{Name: "email_notification_types", API: "emailNotificationTypes", Kind: KindEnumSet, Enum: NotificationTypes, Doc: "notifications sent by email"},
	{Name: "make_notes_followers_only_before", API: "makeNotesFollowersOnlyBefore", Kind: KindNoteAge, Nullable: true, Doc: "older notes become followers-only"},
	{Name: "make_notes_hidden_before", API: "makeNotesHiddenBefore", Kind: KindNoteAge, Nullable: true, Doc: "older notes are hidden from others"},
	{Name: "receive_announcement_email", API: "receiveAnnouncementEmail", Kind: KindBool, Doc: "receive announcements by email"},
}

// ProfileFieldByName finds a field by its HCL name.
func ProfileFieldByName(name string) (ProfileField, bool) {
	for _, f := range ProfileFields {
		if f.Name == name {
			return f, true
		}
	}
	return ProfileField{}, false
}
