package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mkctl/mkctl/planner"
)

// readFunc is Client.Read or reading.read.
type readFunc func(ctx context.Context, endpoint string, params, out any) error

// registryParams locates the ownership record of one configured account
// (its config address, e.g. account.weather). The registry is private to the
// token (API-NOTES §7): a new token starts without a record. Each address
// has its own key, so two configurations that manage the same account with
// the same token do not share (and delete) each other's objects.
func registryParams(address string) map[string]any {
	return ownershipParams(planner.OwnershipKey(address))
}

// ownershipParams locates one key of mkctl's scope: the record's manifest
// or one of its chunks (ownership_store.go).
func ownershipParams(key string) map[string]any {
	return map[string]any{"key": key, "scope": planner.OwnershipScope}
}

// decodeOwnership checks the record rather than starting afresh on
// anything odd: a record mkctl cannot read would be overwritten by the
// next apply, and mkctl would forget what it owns.
//
// A record that names another account than address is treated as none:
// mkctl writes the address into every record it makes, so such a record
// was copied or written by something else, and trusting it could make mkctl
// delete objects this configuration never created.
//
// This is format version 1, one value holding everything, which mkctl
// reads and replaces with version 2 on its next write.
func decodeOwnership(raw json.RawMessage, address string) (*planner.Ownership, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var rec planner.Ownership
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, recordFormatError(address, err)
	}
	if rec.Version > planner.OwnershipVersion {
		return nil, recordVersionError(rec.Version)
	}
	if rec.Account != address {
		return nil, nil
	}
	if rec.Version == 0 {
		rec.Version = planner.OwnershipVersion
	}
	if rec.Objects == nil {
		rec.Objects = map[string]planner.Owned{}
	}
	for k, o := range rec.Objects {
		o.Key = k
		rec.Objects[k] = o
	}
	return &rec, nil
}

// recordFormatError is the error for a record (either format) mkctl cannot
// decode.
func recordFormatError(address string, err error) error {
	return fmt.Errorf("mkctl's ownership record in the account registry (scope %v, key %q) is not in the format mkctl writes: %w; remove it in Settings → Registry only if no other mkctl version uses it",
		planner.OwnershipScope, planner.OwnershipKey(address), err)
}

// recordVersionError is the error for a record a newer mkctl wrote.
func recordVersionError(version int) error {
	return fmt.Errorf("mkctl's ownership record has format version %d, newer than this mkctl understands (%d); upgrade mkctl", version, planner.OwnershipVersion)
}
