# syntax=docker/dockerfile:1
# Imprint's production image: `docker compose up` (see docker-compose.yml), or
#   docker build -t imprint . && docker run -e IMPRINT_JWT_SECRET=... -p 8080:8080 imprint
# With no DATABASE_URL it keeps an SQLite file in /var/lib/imprint.

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# The registry and target folders are BuildKit caches, so a rebuild after a
# source change recompiles only Imprint, not its dependencies. The `dist`
# profile (Cargo.toml) adds fat LTO and one codegen unit to `--release`.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --profile dist --locked --bin imprint \
    && cp target/dist/imprint /usr/local/bin/imprint

FROM debian:bookworm-slim
# curl is only for health checks (docker-compose.yml probes /readyz).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --create-home \
        --home-dir /var/lib/imprint --shell /usr/sbin/nologin imprint
COPY --from=build /usr/local/bin/imprint /usr/local/bin/imprint
USER imprint
WORKDIR /var/lib/imprint
ENV IMPRINT_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["imprint"]
CMD ["serve"]
