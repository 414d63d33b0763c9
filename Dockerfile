# Multi-stage build of a static compoundwatch binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
# go.mod replaces modules with patched copies here: the download reads them.
COPY third_party ./third_party
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/compoundwatch ./cmd/compoundwatch

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/compoundwatch /usr/local/bin/compoundwatch
WORKDIR /var/lib/compoundwatch
# 8080: serve (search page and API); 9090: --metrics (/healthz, /readyz, /metrics).
EXPOSE 8080 9090
ENTRYPOINT ["/usr/local/bin/compoundwatch"]
CMD ["run"]
