// Package db holds the schema migrations, embedded so that every binary can migrate the
// database it is pointed at, and (in db/sqlc) the query code that sqlc generates from
// db/queries.
package db

import "embed"

// Migrations is the goose migration folder, in the order goose applies it.
//
//go:embed migrations/*.sql
var Migrations embed.FS
