# Smart IPAM. Quick start: `make demo`, then `make test`.
SHELL := /bin/bash
SWIFT ?= swift
STATE ?= .state

.PHONY: all deps build release test demo bench deb completions format openapi clean help

all: build

help:
	@echo "make demo    build and show the IPAM working on the example configuration"
	@echo "make test    install what is missing, build, run every test"
	@echo "make bench   release build; the figures of BENCHMARKS.md into bench/results.md"
	@echo "make deb     a Debian package in dist/ (release build, static Swift runtime)"
	@echo "make build   debug build;  make release   release build"

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/run-tests.sh

demo: build
	@STATE=$(STATE) scripts/demo.sh

bench: deps
	$(SWIFT) build -c release
	.build/release/smart-ipam-bench bench/results.md
	scripts/bench-leases.sh bench/results.md
	scripts/bench-dns.sh bench/results.md
	scripts/bench-e2e.sh bench/results.md
	scripts/bench-api.sh bench/results.md

deb: deps
	scripts/make-deb.sh

completions: build
	mkdir -p $(STATE)/completions
	for shell in bash zsh fish; do .build/debug/smart-ipam --generate-completion-script $$shell > $(STATE)/completions/smart-ipam.$$shell; done

openapi:
	python3 scripts/openapi/generate.py > Sources/IPAMHTTP/OpenAPI/OpenAPIDocument.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build $(STATE)
