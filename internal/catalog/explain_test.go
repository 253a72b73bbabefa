package catalog_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/platform/pgtest"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "catalog", &testDB)) }

// recorder remembers the SQL and arguments of the last product-list query a pool ran.
type recorder struct {
	mu   sync.Mutex
	sql  string
	args []any
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if strings.Contains(d.SQL, "ORDER BY") && strings.Contains(d.SQL, "FROM products") {
		r.mu.Lock()
		r.sql, r.args = d.SQL, d.Args
		r.mu.Unlock()
	}
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestListPlansUseIndexes loads a 100,000-product catalogue and checks, with EXPLAIN on the
// statement exactly as the store sends it (prepared, after enough executions for PostgreSQL
// to consider a generic plan), that every offered sort, with and without a category, walks an
// index instead of scanning and sorting the table, and that filters use their indexes.
func TestListPlansUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a 100,000-product catalogue")
	}
	ctx := context.Background()
	// In chunks of 10,000, each its own transaction: a long transaction would hold back the
	// event publisher of every other test package running against the same server.
	for from := 1; from <= 100000; from += 10000 {
		_, err := testDB.Pool.Exec(ctx, `
			INSERT INTO products (id, sku, name, description, category, price_cents, currency, stock, created_at)
			SELECT gen_random_uuid(), 'SKU-' || n, 'Product ' || md5(n::text), 'Description ' || md5((n * 7)::text),
			       'Category ' || (n % 12), (n * 7919) % 100000, 'USD', n % 20, now() - make_interval(secs => n)
			FROM generate_series($1::int, $1::int + 9999) AS n`, from)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := testDB.Pool.Exec(ctx, "ANALYZE products"); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	cfg, err := pgxpool.ParseConfig(testDB.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	svc := catalog.NewService(catalog.NewPostgresStore(pool))

	price := int64(50000)
	var cases []catalog.Filter
	for _, s := range catalog.Sorts {
		cases = append(cases, catalog.Filter{Sort: s}, catalog.Filter{Sort: s, Category: "Category 3"})
	}
	cases = append(cases,
		// A selective term, as a search usually is: the planner then goes to the trigram index.
		catalog.Filter{Sort: "name", Query: "c0ffee42"},
		catalog.Filter{Sort: "price_cents", MinPrice: &price},
		catalog.Filter{Sort: "name", InStock: true, Category: "Category 5"},
	)
	for _, f := range cases {
		f.Limit, f.Offset = 20, 40
		if _, _, err := svc.List(ctx, f); err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		sql, args := rec.sql, rec.args
		rec.mu.Unlock()
		plan := explainPrepared(t, sql, args)
		name := f.Sort
		if f.Category != "" {
			name += " in category"
		}
		if f.Query != "" || f.MinPrice != nil || f.InStock {
			name += " filtered"
		}
		if strings.Contains(plan, `"Seq Scan"`) {
			t.Errorf("%s: sequential scan of the catalogue:\n%s", name, plan)
		}
		if f.Query == "" && strings.Contains(plan, `"Node Type": "Sort"`) {
			t.Errorf("%s: sorts instead of walking an index:\n%s", name, plan)
		}
		if f.Query != "" && !strings.Contains(plan, "products_search_trgm_idx") {
			t.Errorf("%s: free text does not use the trigram index:\n%s", name, plan)
		}
	}
}

// explainPrepared prepares sql as pgx does, runs it enough times for the plan cache to weigh
// a generic plan, and returns EXPLAIN's JSON for the next execution.
func explainPrepared(t *testing.T, sql string, args []any) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testDB.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	sd, err := conn.Prepare(ctx, "list_products", sql)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 8; i++ {
		rows, err := conn.Query(ctx, "list_products", args...)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	// EXECUTE takes no bind parameters, so the same values go in as literals.
	params := make([]string, len(sd.ParamOIDs))
	for i, a := range args {
		params[i] = literal(a)
	}
	var plan []map[string]any
	if err := conn.QueryRow(ctx, "EXPLAIN (FORMAT JSON) EXECUTE list_products("+strings.Join(params, ", ")+")").Scan(&plan); err != nil {
		t.Fatal(err)
	}
	out, _ := json.MarshalIndent(plan, "", "  ")
	return string(out)
}

func literal(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case *string:
		if x == nil {
			return "NULL"
		}
		return literal(*x)
	case *int64:
		if x == nil {
			return "NULL"
		}
		return strconv.FormatInt(*x, 10)
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case bool:
		return strconv.FormatBool(x)
	case int32:
		return strconv.Itoa(int(x))
	}
	panic(fmt.Sprintf("no literal for %T", v))
}
