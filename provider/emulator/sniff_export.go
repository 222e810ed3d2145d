package emulator

// DetectType is a test hook for other packages (schema's cross-check of
// its own sniffer against this one): the type, and the dimensions of an
// image, that the emulator gives an upload of data named name ("" for an
// upload without a name), as Misskey's FileInfoService.getFileInfo does.
// An image it cannot measure, or wider or taller than 16383 px, is
// application/octet-stream with no dimensions.
func DetectType(data []byte, name string) (mime string, width, height int) {
	var n *string
	if name != "" {
		n = &name
	}
	info := detectFile(data, n)
	return info.mime, info.width, info.height
}
