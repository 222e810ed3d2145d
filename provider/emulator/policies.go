package emulator

// defaultPolicies is core/RoleService.ts DEFAULT_POLICIES of 2026.5.4, as the
// `i` response of a user without roles shows them (sample 01).
func defaultPolicies() map[string]any {
	return map[string]any{
		"gtlAvailable":               true,
		"ltlAvailable":               true,
		"canPublicNote":              true,
		"mentionLimit":               20.0,
		"canInvite":                  false,
		"inviteLimit":                0.0,
		"inviteLimitCycle":           10080.0,
		"inviteExpirationTime":       0.0,
		"canManageCustomEmojis":      false,
		"canManageAvatarDecorations": false,
		"canSearchNotes":             false,
		"canSearchUsers":             true,
		"canUseTranslator":           true,
		"canHideAds":                 false,
		"canCreateChannel":           true,
		"driveCapacityMb":            100.0,
		"maxFileSizeMb":              30.0,
		"alwaysMarkNsfw":             false,
		"canUpdateBioMedia":          true,
		"pinLimit":                   5.0,
		"antennaLimit":               5.0,
		"wordMuteLimit":              200.0,
		"webhookLimit":               3.0,
		"clipLimit":                  10.0,
		"noteEachClipsLimit":         200.0,
		"userListLimit":              10.0,
		"userEachUserListsLimit":     50.0,
		"rateLimitFactor":            1.0,
		"avatarDecorationLimit":      1.0,
		"canImportAntennas":          false,
		"canImportBlocking":          false,
		"canImportFollowing":         false,
		"canImportMuting":            false,
		"canImportUserLists":         false,
		"chatAvailability":           "available",
		"uploadableFileTypes":        []any{"text/*", "application/json", "image/*", "video/*", "audio/*"},
		"noteDraftLimit":             10.0,
		"scheduledNoteLimit":         1.0,
		"watermarkAvailable":         true,
	}
}

// policies is the user's effective role policies: the defaults with the
// overrides SetPolicy made.
func (u *User) policies() map[string]any {
	p := defaultPolicies()
	for k, v := range u.PolicyOverrides {
		p[k] = v
	}
	return p
}

// policyNumber reads a numeric policy (pinLimit, antennaLimit, …).
func (u *User) policyNumber(key string) float64 {
	switch v := u.policies()[key].(type) {
	case float64:
		return v
	case int:
		return float64(v)
	case int64:
		return float64(v)
	}
	return 0
}

// policyBool reads a boolean policy (canPublicNote, alwaysMarkNsfw, …).
func (u *User) policyBool(key string) bool {
	b, _ := u.policies()[key].(bool)
	return b
}
