package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// spec is what the registry knows about one event type.
type spec struct {
	current int32 // the version Append writes
	// decoders read a payload of each version still found in the log into its struct.
	decoders map[int32]func([]byte) (Payload, error)
	// upcasters turn a payload of version v into version v+1; there is one for every v below
	// current.
	upcasters map[int32]func(Payload) Payload
}

// registry lists every event type. A new version adds a decoder and an upcaster here and
// moves current (see the package doc).
var registry = map[string]spec{
	OrderPlaced:        v1(decoder[OrderPlacedV1]),
	OrderCancelled:     v1(decoder[OrderCancelledV1]),
	OrderStatusChanged: v1(decoder[OrderStatusChangedV1]),
	ProductCreated:     v1(decoder[ProductCreatedV1]),
	ProductUpdated:     v1(decoder[ProductUpdatedV1]),
	ProductDeleted:     v1(decoder[ProductDeletedV1]),
	UserRegistered:     v1(decoder[UserRegisteredV1]),
	UserRoleChanged:    v1(decoder[UserRoleChangedV1]),
}

func v1(d func([]byte) (Payload, error)) spec {
	return spec{current: 1, decoders: map[int32]func([]byte) (Payload, error){1: d}}
}

// decoder reads exactly one JSON object into P, refusing fields P does not have.
func decoder[P Payload](body []byte) (Payload, error) {
	var p P
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the payload")
	}
	return p, nil
}

// Types lists every event type, sorted.
func Types() []string {
	out := make([]string, 0, len(registry))
	for t := range registry {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Versions lists the payload versions of typ that may be found in the log, oldest first; the
// last is the one Append writes. It is empty for an unknown type.
func Versions(typ string) []int32 {
	s := registry[typ]
	out := make([]int32, 0, len(s.decoders))
	for v := range s.decoders {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ErrUnknownEvent is wrapped by Decode's error for a type or version no struct describes.
var ErrUnknownEvent = errors.New("unknown event type or version")

// Decode reads the payload of an outbox row of the given type and version into its struct,
// refusing unknown fields, and upgrades it to the current version (see the package doc), so
// the result is always the current version's struct. It returns an error wrapping
// ErrUnknownEvent for a type or version it does not know.
func Decode(typ string, version int32, body []byte) (Payload, error) {
	s, ok := registry[typ]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownEvent, typ)
	}
	dec, ok := s.decoders[version]
	if !ok {
		return nil, fmt.Errorf("%w: %s version %d", ErrUnknownEvent, typ, version)
	}
	p, err := dec(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s v%d payload: %w", typ, version, err)
	}
	for v := version; v < s.current; v++ {
		p = s.upcasters[v](p)
	}
	return p, nil
}
