package schema

// LoadedType is a test hook for the external cross-check
// (sniff_crosscheck_test.go): the type Misskey would store the file p of
// dir as, by mkctl's load-time decision — loadFileSource, streamed from
// the file — for an upload named name ("" for avatar and banner). An image
// mkctl refuses because the server would store it as
// application/octet-stream (too large, or its size unreadable) is reported
// as application/octet-stream; summary is the error's summary ("" when
// none).
func LoadedType(dir, p, name string) (mime, summary string) {
	src, _, err := loadFileSource(dir, p, name)
	if err == nil {
		return src.Type, ""
	}
	if err.summary == summaryImageTooLarge || err.summary == summaryImageSizeUnread {
		return octetStream, err.summary
	}
	return src.Type, err.summary
}
