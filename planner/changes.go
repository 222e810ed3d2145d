package planner

// How the provider carries out each Change.Type. The planner emits changes
// in execution order; the provider applies them one after another and
// updates the ownership record after each one.
//
// profile
//	update   i/update with every AttrChange (HCL names → API names), nil sent as null. The avatar and
//	         banner are in After ("avatar": {source, path, md5, size, type}, or nil to clear): the file is
//	         found by md5 or uploaded into the ImageFolderName folder first, and its id sent as avatarId /
//	         bannerId; After["avatarRetireOld"] names the old file, kept in the record under a retiring key
//	         (profile.avatar~ID) for the follow-up drive_file delete at the end of the plan.
//
// drive_file   (Key drive_file["media/logo.png"]; see drive_file.go)
//	create   drive/files/find-by-hash {md5}; a file of those bytes at the folder and name is used, else
//	         drive/files/create (multipart, streamed) with After's name, comment, isSensitive, folderId (or
//	         the folder Refs["folder"] created earlier), force when the account has the bytes elsewhere.
//	replace  the same upload; with After["retireOld"] the old file ID goes into the record as KEY~ID.
//	update   drive/files/update {fileId: ID} + After (only what differs: an empty update is a 500).
//	delete   unless another record entry holds ID or a note attaches it (drive/files/attached-notes),
//	         drive/files/delete {fileId: ID}. Followup marks the deletion of a replaced file.
//
// user_list   (Key user_list.NAME)
//	create   users/lists/create {name}; then users/lists/push for each id in After["push"].
//	update   ID = list id; users/lists/push for After["push"], users/lists/pull for After["pull"] ([]any of user ids).
//	delete   users/lists/delete {listId: ID}.
//
// antenna   (Key antenna.NAME)
//	create   antennas/create with After (every field, Misskey names). When Refs["userList"] is set,
//	         userListId is the id of that user list (created earlier in this apply, or in the record).
//	update   antennas/update {antennaId: ID} + After (only the changed fields) + userListId from Refs.
//	delete   antennas/delete {antennaId: ID}.
//
// drive_folder   (Key drive_folder["a/b"])
//	create   drive/folders/create {name: After["name"], parentId}: parentId is After["parentId"] when the parent
//	         exists, or the id of the folder Refs["parent"] created earlier in this apply; absent at the root.
//	delete   drive/folders/delete {folderId: ID}.
//
// follow   (Key follow["@user@host"]; ID = the followee's user id)
//	create   following/create {userId: ID, withReplies?}; then, if After["notify"] is set and the follow is
//	         established (not a request), following/update {userId, notify}.
//	update   following/update {userId: ID, notify?, withReplies?} with After.
//	delete   Pending: following/requests/cancel {userId: ID}; otherwise following/delete {userId: ID}.
//
// pinned_note   (Key pinned_note.LABEL)
//	create   record an Intent, notes/create with After (text, cw, visibility, localOnly, reactionAcceptance,
//	         fileIds: an "" entry N is the id of the file Refs["fileIds.N"] uploaded earlier in the apply),
//	         record the note, i/pin it. A re-run that finds the Intent looks for the note among the account's
//	         newest notes before creating it again.
//	replace  like create, then i/unpin ID and notes/delete ID (notes cannot be edited) — unless
//	         After["keepOld"] is true (the old note was adopted, not posted by mkctl): then it is only unpinned.
//	         Until the old note is gone it stays in the record under a retiring key (pinned_note.LABEL~ID), so an
//	         interrupted replace is finished by the next plan (it deletes or unpins owned notes nobody declares).
//	update   a (re-)pin: i/unpin ID (a no-op when it is not pinned) then i/pin ID, to restore the order or to
//	         pin a recorded note that is not pinned any more.
//	delete   i/unpin ID, then notes/delete ID unless After["keepNote"] is true (a note mkctl did not post:
//	         adopted, or unpinned because of purge, is kept).
//
// Pins: Misskey shows the most recently pinned note first, so the planner
// emits pinned-note creates, replaces and re-pins bottom-up: the last one
// applied ends on top.

// Change types.
const (
	TypeProfile     = "profile"
	TypePinnedNote  = "pinned_note"
	TypeFollow      = "follow"
	TypeDriveFolder = "drive_folder"
	TypeAntenna     = "antenna"
	TypeUserList    = "user_list"
)
