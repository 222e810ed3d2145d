# The mkctl container image, built by goreleaser (.goreleaser.yaml,
# dockers_v2) from the static linux binaries it built and checksummed: the
# build context holds linux/amd64/mkctl and linux/arm64/mkctl, and buildx
# picks the one of each platform ($TARGETPLATFORM). To build it by hand:
# `goreleaser release --snapshot --clean` with Docker running.
#
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" -e MKCTL_TOKEN \
#     ghcr.io/mkctl/mkctl:VERSION plan
#
# The base image has what mkctl needs and nothing else: CA certificates
# (mkctl talks HTTPS to the instances), time zone data, /etc/passwd with
# the unprivileged user nonroot (uid 65532, whose home /home/nonroot is
# writable, for `mkctl login`'s $HOME/.config/mkctl) and /tmp. No shell,
# no package manager: nothing runs in the image but mkctl.
FROM gcr.io/distroless/static-debian12:nonroot

ARG TARGETPLATFORM
COPY $TARGETPLATFORM/mkctl /usr/bin/mkctl

# The configuration is mounted here (-v "$PWD:/work"): plan and apply read
# it without --chdir, and plan -out FILE writes beside it (run as your own
# user, --user "$(id -u):$(id -g)", to write into a mounted directory).
WORKDIR /work
# By number, so that a runtime that checks runAsNonRoot can tell.
USER 65532:65532
ENTRYPOINT ["/usr/bin/mkctl"]
