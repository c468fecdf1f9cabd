# mig in a container: the Debian package built from this checkout, installed
# on Debian's slim image, run as a non-root user on the project mounted at
# /project.
#   docker build -t mig .
#   docker run --rm -v "$PWD:/project" -e DATABASE_URL mig upgrade head
# tests/package/install.sh builds the file system this recipe describes from
# the same .deb and runs mig from it as that user (no container runtime there).

# Build: `make deb` installs what it needs (scripts/install-deps); git names
# the commit in `mig --version`.
FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends make git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make deb DEB_DIR=/deb

# Run: only the mig package and the shared libraries its Depends name.
FROM debian:bookworm-slim
COPY --from=build /deb/mig_*.deb /tmp/
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/mig_*.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/mig_*.deb \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /project mig \
 && mkdir -p /project && chown mig:mig /project
USER mig
WORKDIR /project
ENTRYPOINT ["mig"]
CMD ["--help"]
