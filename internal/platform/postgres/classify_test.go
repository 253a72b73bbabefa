package postgres

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/acme/orders/internal/fault"
)

// No error the database raises about data or about waiting becomes an unexplained 500.
func TestClassify(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		code  string
		kind  fault.Kind
		retry bool
	}{
		{"22003", fault.Invalid, false}, // numeric value out of range
		{"22008", fault.Invalid, false}, // datetime field overflow
		{"22021", fault.Invalid, false}, // bad UTF-8
		{"55P03", fault.Unavailable, true},
		{"57014", fault.Unavailable, true},
		{"40P01", fault.Unavailable, true},
		{"08006", fault.Unavailable, false},
		{"23505", fault.Internal, false},
	} {
		err := Classify(&pgconn.PgError{Code: c.code})
		if k := fault.KindOf(err); k != c.kind {
			t.Errorf("%s: kind %v, want %v", c.code, k, c.kind)
		}
		var fe *fault.Error
		if errors.As(err, &fe) && (fe.RetryAfter > 0) != c.retry {
			t.Errorf("%s: Retry-After %v", c.code, fe.RetryAfter)
		}
	}
}
