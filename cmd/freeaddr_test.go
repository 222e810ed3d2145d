package cmd

import (
	"net"
	"testing"
)

// freeLoopbackAddr is a 127.0.0.1 address with a port nothing listens on
// now, for a --metrics server the test starts through the command line
// (which takes an address, not a listener).
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
